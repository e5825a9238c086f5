; Inno Setup 6 script: wraps the PyInstaller folder (dist\CDS-Desktop) into CDS-Desktop-Setup-<version>.exe.
;
;   pyinstaller --noconfirm installer\cds_desktop.spec
;   iscc /DAppVersion=0.1.0 installer\cds-desktop.iss        (the version of pyproject.toml)
;
; Per user, no administrator rights: installs into %LOCALAPPDATA%\Programs\CDS-Desktop and
; registers the file types under HKCU\Software\Classes.  User data stays in
; %LOCALAPPDATA%\cds-desktop and survives uninstall and upgrades.
; The wizard speaks Vietnamese with the messages below (only Inno Setup's own Default.isl is
; needed; the unofficial Vietnamese.isl is not used).  Only message names that Inno Setup 6.0
; and 6.1+ share are given (6.1 renamed a few file-conflict ones, which stay in English).
; This file is UTF-8 with a BOM.

#define AppName "CĐS Desktop"
#define AppExe "CDS-Desktop.exe"
#ifndef AppVersion
  #error Cho biết phiên bản: iscc /DAppVersion=X.Y.Z (lấy từ [project] version trong pyproject.toml)
#endif

[Setup]
AppId={{6C1F4E1A-5D0B-4C8E-9F1D-CD5DE5C70001}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=CĐS Desktop
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
VersionInfoDescription=Chương trình cài đặt {#AppName}
; {autopf} is %LOCALAPPDATA%\Programs when installing for the current user (the default here)
DefaultDirName={autopf}\CDS-Desktop
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
; /CURRENTUSER on the command line (the CI's silent install) is accepted
PrivilegesRequiredOverridesAllowed=commandline
MinVersion=10.0
OutputDir=..\dist
OutputBaseFilename=CDS-Desktop-Setup-{#AppVersion}
SetupIconFile=..\resources\icons\cds-desktop.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
ChangesAssociations=yes
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "vi"; MessagesFile: "compiler:Default.isl"

[LangOptions]
LanguageName=Tiếng Việt
LanguageID=$042A
LanguageCodePage=0

[Messages]
SetupAppTitle=Cài đặt
SetupWindowTitle=Cài đặt - %1
UninstallAppTitle=Gỡ cài đặt
UninstallAppFullTitle=Gỡ cài đặt %1
InformationTitle=Thông tin
ConfirmTitle=Xác nhận
ErrorTitle=Lỗi
SetupLdrStartupMessage=Chương trình sẽ cài đặt %1. Bạn có muốn tiếp tục không?
LdrCannotCreateTemp=Không tạo được tệp tạm. Đã dừng cài đặt
LdrCannotExecTemp=Không chạy được tệp trong thư mục tạm. Đã dừng cài đặt
LastErrorMessage=%1.%n%nLỗi %2: %3
SetupFileMissing=Thiếu tệp %1 trong thư mục cài đặt. Hãy sửa lỗi này hoặc lấy lại bản cài đặt mới.
SetupFileCorrupt=Các tệp cài đặt bị hỏng. Hãy lấy lại bản cài đặt mới.
SetupFileCorruptOrWrongVer=Các tệp cài đặt bị hỏng hoặc không hợp với phiên bản trình cài đặt này. Hãy lấy lại bản cài đặt mới.
InvalidParameter=Tham số dòng lệnh không hợp lệ:%n%n%1
SetupAlreadyRunning=Trình cài đặt đang chạy.
WindowsVersionNotSupported=Chương trình không chạy được trên phiên bản Windows của máy này.
WinVersionTooLowError=Chương trình cần %1 phiên bản %2 trở lên.
WinVersionTooHighError=Không cài được chương trình trên %1 phiên bản %2 trở lên.
SetupAppRunningError=%1 đang chạy.%n%nHãy đóng chương trình rồi bấm Đồng ý để tiếp tục, hoặc bấm Hủy để thoát.
UninstallAppRunningError=%1 đang chạy.%n%nHãy đóng chương trình rồi bấm Đồng ý để tiếp tục, hoặc bấm Hủy để thoát.
ErrorCreatingDir=Không tạo được thư mục "%1"
ExitSetupTitle=Thoát cài đặt
ExitSetupMessage=Chưa cài đặt xong. Nếu thoát bây giờ, chương trình sẽ không được cài.%n%nBạn có thể chạy lại trình cài đặt vào lúc khác.%n%nThoát cài đặt?
AboutSetupMenuItem=&Về trình cài đặt...
AboutSetupTitle=Về trình cài đặt
ButtonBack=< &Quay lại
ButtonNext=&Tiếp >
ButtonInstall=&Cài đặt
ButtonOK=Đồng ý
ButtonCancel=Hủy
ButtonYes=&Có
ButtonYesToAll=Có tất &cả
ButtonNo=&Không
ButtonNoToAll=Không tất cả
ButtonFinish=&Xong
ButtonBrowse=&Chọn...
ButtonWizardBrowse=C&họn...
ButtonNewFolder=&Tạo thư mục mới
ClickNext=Bấm Tiếp để tiếp tục, hoặc Hủy để thoát.
BrowseDialogTitle=Chọn thư mục
BrowseDialogLabel=Chọn một thư mục trong danh sách rồi bấm Đồng ý.
NewFolderName=Thư mục mới
WelcomeLabel1=Chào mừng đến với trình cài đặt [name]
WelcomeLabel2=Trình cài đặt sẽ cài [name/ver] vào máy tính này.%n%nNên đóng các chương trình khác trước khi tiếp tục.
WizardSelectDir=Chọn nơi cài đặt
SelectDirDesc=Cài [name] vào đâu?
SelectDirLabel3=Trình cài đặt sẽ cài [name] vào thư mục sau.
SelectDirBrowseLabel=Bấm Tiếp để tiếp tục. Muốn chọn thư mục khác, bấm Chọn.
DiskSpaceMBLabel=Cần ít nhất [mb] MB dung lượng trống.
CannotInstallToNetworkDrive=Không cài được vào ổ đĩa mạng.
CannotInstallToUNCPath=Không cài được vào đường dẫn mạng (UNC).
InvalidPath=Hãy nhập đường dẫn đầy đủ có tên ổ đĩa, ví dụ:%n%nC:\APP
InvalidDrive=Ổ đĩa đã chọn không có hoặc không truy cập được. Hãy chọn ổ khác.
DiskSpaceWarningTitle=Không đủ dung lượng
DiskSpaceWarning=Cần ít nhất %1 KB dung lượng trống nhưng ổ đã chọn chỉ còn %2 KB.%n%nVẫn tiếp tục?
DirNameTooLong=Tên thư mục hoặc đường dẫn quá dài.
InvalidDirName=Tên thư mục không hợp lệ.
BadDirName32=Tên thư mục không được chứa các ký tự sau:%n%n%1
DirExistsTitle=Thư mục đã có
DirExists=Thư mục:%n%n%1%n%nđã có. Vẫn cài vào thư mục này?
DirDoesntExistTitle=Thư mục chưa có
DirDoesntExist=Thư mục:%n%n%1%n%nchưa có. Tạo thư mục này?
WizardSelectTasks=Chọn việc cần làm thêm
SelectTasksDesc=Trình cài đặt cần làm thêm những việc gì?
SelectTasksLabel2=Chọn những việc trình cài đặt làm thêm khi cài [name], rồi bấm Tiếp.
WizardReady=Sẵn sàng cài đặt
ReadyLabel1=Trình cài đặt đã sẵn sàng cài [name] vào máy tính này.
ReadyLabel2a=Bấm Cài đặt để bắt đầu, hoặc Quay lại để xem lại, thay đổi lựa chọn.
ReadyLabel2b=Bấm Cài đặt để bắt đầu.
ReadyMemoDir=Nơi cài đặt:
ReadyMemoGroup=Thư mục trong menu Start:
ReadyMemoTasks=Việc làm thêm:
WizardPreparing=Đang chuẩn bị cài đặt
PreparingDesc=Trình cài đặt đang chuẩn bị cài [name] vào máy tính này.
PreviousInstallNotCompleted=Lần cài đặt hoặc gỡ bỏ chương trình trước chưa xong. Cần khởi động lại máy để hoàn tất.%n%nSau khi khởi động lại, hãy chạy lại trình cài đặt để cài [name].
CannotContinue=Không thể tiếp tục cài đặt. Bấm Hủy để thoát.
ApplicationsFound=Các chương trình sau đang dùng những tệp cần cập nhật. Nên để trình cài đặt tự đóng các chương trình này.
ApplicationsFound2=Các chương trình sau đang dùng những tệp cần cập nhật. Nên để trình cài đặt tự đóng các chương trình này; cài xong, trình cài đặt sẽ mở lại chúng.
CloseApplications=&Tự đóng các chương trình
DontCloseApplications=&Không đóng các chương trình
ErrorCloseApplications=Không tự đóng được mọi chương trình. Nên đóng các chương trình đang dùng tệp cần cập nhật trước khi tiếp tục.
WizardInstalling=Đang cài đặt
InstallingLabel=Xin chờ trong khi trình cài đặt cài [name] vào máy tính này.
FinishedHeadingLabel=Đã cài đặt xong [name]
FinishedLabelNoIcons=Đã cài [name] vào máy tính này.
FinishedLabel=Đã cài [name] vào máy tính này. Mở chương trình bằng các biểu tượng vừa tạo.
ClickFinish=Bấm Xong để thoát trình cài đặt.
FinishedRestartLabel=Cần khởi động lại máy để hoàn tất việc cài [name]. Khởi động lại ngay?
FinishedRestartMessage=Cần khởi động lại máy để hoàn tất việc cài [name].%n%nKhởi động lại ngay?
YesRadio=&Có, khởi động lại máy ngay
NoRadio=&Không, tôi sẽ khởi động lại sau
RunEntryExec=Mở %1
RunEntryShellExec=Xem %1
SetupAborted=Chưa cài đặt xong.%n%nHãy sửa lỗi rồi chạy lại trình cài đặt.
AbortRetryIgnoreRetry=Thử lại
AbortRetryIgnoreCancel=Dừng cài đặt
StatusClosingApplications=Đang đóng các chương trình...
StatusCreateDirs=Đang tạo thư mục...
StatusExtractFiles=Đang chép tệp...
StatusCreateIcons=Đang tạo biểu tượng...
StatusCreateIniEntries=Đang ghi tệp INI...
StatusCreateRegistryEntries=Đang đăng ký loại tệp...
StatusRegisterFiles=Đang đăng ký tệp...
StatusSavingUninstall=Đang lưu thông tin gỡ cài đặt...
StatusRunProgram=Đang hoàn tất...
StatusRestartingApplications=Đang mở lại các chương trình...
StatusRollback=Đang hoàn lại các thay đổi...
ErrorInternal2=Lỗi nội bộ: %1
ErrorFunctionFailedNoCode=%1 không thành công
ErrorFunctionFailed=%1 không thành công; mã %2
ErrorFunctionFailedWithMessage=%1 không thành công; mã %2.%n%3
ErrorExecutingProgram=Không chạy được tệp:%n%1
ErrorRegOpenKey=Lỗi mở khóa sổ đăng ký:%n%1\%2
ErrorRegCreateKey=Lỗi tạo khóa sổ đăng ký:%n%1\%2
ErrorRegWriteKey=Lỗi ghi khóa sổ đăng ký:%n%1\%2
FileAbortRetryIgnoreSkipNotRecommended=Bỏ qua tệp này (không nên)
SourceIsCorrupted=Tệp nguồn bị hỏng
SourceDoesntExist=Không có tệp nguồn "%1"
ExistingFileReadOnlyRetry=Bỏ thuộc tính chỉ đọc rồi thử lại
ErrorReadingExistingDest=Lỗi khi đọc tệp đang có:
ErrorChangingAttr=Lỗi khi đổi thuộc tính của tệp đang có:
ErrorCreatingTemp=Lỗi khi tạo tệp trong thư mục cài đặt:
ErrorReadingSource=Lỗi khi đọc tệp nguồn:
ErrorCopying=Lỗi khi chép tệp:
ErrorReplacingExistingFile=Lỗi khi thay tệp đang có:
ErrorRenamingTemp=Lỗi khi đổi tên tệp trong thư mục cài đặt:
UninstallDisplayNameMarkCurrentUser=Người dùng hiện tại
UninstallDisplayNameMarkAllUsers=Mọi người dùng
UninstallNotFound=Không có tệp "%1". Không gỡ cài đặt được.
UninstallOpenError=Không mở được tệp "%1". Không gỡ cài đặt được
ConfirmUninstall=Gỡ bỏ hoàn toàn %1 khỏi máy tính này? (Dữ liệu kế hoạch, minh chứng và bản sao lưu của bạn được giữ nguyên.)
UninstallStatusLabel=Xin chờ trong khi gỡ %1 khỏi máy tính này.
UninstalledAll=Đã gỡ %1 khỏi máy tính này.
UninstalledMost=Đã gỡ %1.%n%nCòn vài mục không gỡ được; có thể xóa chúng bằng tay.
UninstalledAndNeedsRestart=Cần khởi động lại máy để gỡ xong %1.%n%nKhởi động lại ngay?
UninstallDataCorrupted=Tệp "%1" bị hỏng. Không gỡ cài đặt được
WizardUninstalling=Tình trạng gỡ cài đặt
StatusUninstalling=Đang gỡ %1...
ShutdownBlockReasonInstallingApp=Đang cài %1.
ShutdownBlockReasonUninstallingApp=Đang gỡ %1.

[CustomMessages]
AdditionalIcons=Biểu tượng:
CreateDesktopIcon=Tạo biểu tượng trên màn hình &Desktop
LaunchProgram=Mở %1
UninstallProgram=Gỡ cài đặt %1
PackageType=Gói dữ liệu CĐS Desktop
WorkbookType=Phiếu báo cáo của đơn vị (CĐS Desktop)
OpenWith=Mở bằng CĐS Desktop

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\dist\CDS-Desktop\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion
; an upgrade replaces the whole program folder: files of the previous version must not linger
[InstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; File types, per user: HKA is HKCU\Software\Classes in this install (PrivilegesRequired=lowest).
; .cdspkg: a double-click opens the app on "Trao đổi dữ liệu" with the package checked, ready to import.
Root: HKA; Subkey: "Software\Classes\.cdspkg"; ValueType: string; ValueName: ""; ValueData: "CDSDesktop.Package"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.cdspkg\OpenWithProgids"; ValueType: string; ValueName: "CDSDesktop.Package"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\CDSDesktop.Package"; ValueType: string; ValueName: ""; ValueData: "{cm:PackageType}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\CDSDesktop.Package\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\CDSDesktop.Package\shell\open"; ValueType: string; ValueName: ""; ValueData: "{cm:OpenWith}"
Root: HKA; Subkey: "Software\Classes\CDSDesktop.Package\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
; .xlsx unit workbooks: offered under "Mở bằng" (Open with); Excel stays the default program.
Root: HKA; Subkey: "Software\Classes\.xlsx\OpenWithProgids"; ValueType: string; ValueName: "CDSDesktop.Workbook"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\CDSDesktop.Workbook"; ValueType: string; ValueName: ""; ValueData: "{cm:WorkbookType}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\CDSDesktop.Workbook\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\CDSDesktop.Workbook\shell\open"; ValueType: string; ValueName: ""; ValueData: "{cm:OpenWith}"
Root: HKA; Subkey: "Software\Classes\CDSDesktop.Workbook\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
; the program's name in "Mở bằng" lists
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#AppName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".cdspkg"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".xlsx"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
