; Inno Setup script: wraps the PyInstaller one-folder build into CDS-Desktop-Setup.exe.
; Build on Windows:  pyinstaller installer\cds_desktop.spec  then  iscc installer\cds-desktop.iss
; Installs per user (no administrator rights needed on office PCs); user data stays in
; %LOCALAPPDATA%\cds-desktop and survives uninstall and upgrades.

#define AppName "CĐS Desktop"
#define AppVersion "0.1.0"

[Setup]
AppId={{6C1F4E1A-5D0B-4C8E-9F1D-CD5DE5C70001}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=CĐS Desktop
DefaultDirName={localappdata}\Programs\CDS-Desktop
DefaultGroupName={#AppName}
PrivilegesRequired=lowest
OutputDir=..\dist
OutputBaseFilename=CDS-Desktop-Setup-{#AppVersion}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "vietnamese"; MessagesFile: "compiler:Languages\Vietnamese.isl"

[Files]
Source: "..\dist\CDS-Desktop\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\CDS-Desktop.exe"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\CDS-Desktop.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Tạo biểu tượng trên màn hình"; GroupDescription: "Biểu tượng:"

[Run]
Filename: "{app}\CDS-Desktop.exe"; Description: "Mở {#AppName}"; Flags: nowait postinstall skipifsilent
