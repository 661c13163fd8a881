; Inno Setup script: a Windows installer for the PyInstaller bundle in dist\tinychat.
; Build the bundle first (packaging/tinychat.spec), then:  ISCC.exe packaging\windows\tinychat.iss
; Installs for the current user only (no administrator rights, as on school laptops),
; under %LOCALAPPDATA%\Programs\TinyChat, with a Start menu entry and an uninstaller.
; For a USB stick, do not install: copy dist\tinychat and create a "portable" folder in it.

#define AppName "TinyChat"
#define AppVersion "0.1.0"
#define AppId "io.github.tinychat.TinyChat"

[Setup]
AppId={#AppId}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=TinyChat developers
AppPublisherURL=https://github.com/tinychat-app/tinychat
DefaultDirName={localappdata}\Programs\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist
OutputBaseFilename=TinyChat-setup
SetupIconFile=..\..\resources\icons\tinychat.ico
UninstallDisplayIcon={app}\tinychat.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "spanish"; MessagesFile: "compiler:Languages\Spanish.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\tinychat\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\tinychat.exe"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\tinychat.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\tinychat.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
