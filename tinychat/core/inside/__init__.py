"""Look inside the model: tokens, surprise, the logit lens and attention, on the student's own GGUF file.

``forward`` holds a plain NumPy transformer (the llama family) that reads the
same GGUF file llama.cpp runs; the views (``tokens_view``, ``surprise``,
``lens``, ``attention``) turn its numbers, or llama.cpp's, into tables that the
window and the command line both show.
"""
