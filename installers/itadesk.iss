; Inno Setup 6 script: the ITA Desk installer for an office PC.
; Built by installers/build.py (ISCC /DAppVersion=... /DSourceDir=dist\ITADesk /DOutputDir=dist /DIconDir=resources\icons).
;
; - per user without admin rights (default), or for all users (the install-mode dialog or /ALLUSERS);
; - Start-menu entry, optional desktop shortcut;
; - .itadesk is the document extension, with its own icon, so a double-click on the file on the
;   stick opens it; ITA Desk is only *offered* for .db (Open with...), never made the default,
;   because .db belongs to many other programs (and Windows' Thumbs.db);
; - uninstall removes the program, its shortcuts and registry entries, and leaves documents,
;   backups and working copies (the officer's data) where they are.
; This file is UTF-8 with a byte-order mark so ISCC reads the Thai text.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\dist\ITADesk"
#endif
#ifndef OutputDir
  #define OutputDir "..\dist"
#endif
#ifndef IconDir
  #define IconDir "..\resources\icons"
#endif
#define AppName "ITA Desk"
#define AppExe "ITADesk.exe"
#define ProgId "ITADesk.Document"

[Setup]
AppId={{7C7A3B52-5E0B-4B8B-9B0C-2F1C1A0D1D12}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=ITA Desk
VersionInfoVersion={#AppVersion}
VersionInfoDescription={#AppName} Setup
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
UsePreviousPrivileges=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
CloseApplications=yes
SetupIconFile={#IconDir}\itadesk.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir={#OutputDir}
OutputBaseFilename=ITADesk-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
DesktopIcon=สร้างไอคอน ITA Desk บนเดสก์ท็อป
ShortcutsGroup=ไอคอนเพิ่มเติม:
RunAfter=เปิด ITA Desk
DocumentType=เอกสาร ITA Desk

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; GroupDescription: "{cm:ShortcutsGroup}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; .itadesk: our document type, opened by a double-click (HKA = per user or all users, as installed).
Root: HKA; Subkey: "Software\Classes\.itadesk"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.itadesk\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "{cm:DocumentType}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\_internal\resources\icons\itadesk-document.ico"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
; .db: offered under "Open with", never the default.
Root: HKA; Subkey: "Software\Classes\.db\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".itadesk"; ValueData: ""; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".db"; ValueData: ""

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:RunAfter}"; Flags: nowait postinstall skipifsilent
