; Koordinator — Windows installer for the PyInstaller onedir bundle built on a Windows machine.
;
; Per-machine install (C:\Program Files\Koordinator, needs administrator rights), a Start-menu shortcut, an
; entry in Apps & features (Installerede apps) and an uninstaller. IT can install silently: Setup.exe /S
; (optionally /D=C:\Sti\Koordinator as the last argument) and uninstall with "Afinstaller.exe" /S.
;
; Built on Windows, never here (installer/README.md, "Windows"):
;   pyinstaller --noconfirm --distpath dist --workpath build\pyinstaller installer\koordinator.spec
;   makensis /DVERSION=0.1.0 installer\windows\koordinator.nsi
; Optional: /DICON=path\to\koordinator.ico (installer and uninstaller icon), /DDIST=… (the onedir folder),
; /DOUTFILE=… (the setup program). Relative paths are relative to this folder (installer\windows).

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"
!include "x64.nsh"

!ifndef VERSION
  !error "Angiv versionen: makensis /DVERSION=0.1.0 koordinator.nsi (coordinator_app.__version__)"
!endif
!ifndef DIST
  !define DIST "..\..\dist\koordinator"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\..\dist\koordinator-${VERSION}-windows-x64-setup.exe"
!endif

!define APP "Koordinator"
!define EXE "koordinator.exe"
!define PUBLISHER "Koordinator IT"
!define UNINSTALLER "Afinstaller.exe"
!define REG_APP "Software\${APP}"
!define REG_UNINSTALL "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"

Name "${APP}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APP}"
InstallDirRegKey HKLM "${REG_APP}" "InstallDir"
RequestExecutionLevel admin
BrandingText "${APP} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=1030 "ProductName" "${APP}"
VIAddVersionKey /LANG=1030 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1030 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1030 "FileDescription" "Installation af ${APP} – udskrivningskoordinering i voksenpsykiatrien"
VIAddVersionKey /LANG=1030 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1030 "LegalCopyright" "${PUBLISHER}"

!ifdef ICON
  !define MUI_ICON "${ICON}"
  !define MUI_UNICON "${ICON}"
!endif
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Start ${APP}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Danish"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "${APP} kræver 64-bit Windows 10 eller nyere."
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Section "${APP}" SecMain
  SectionIn RO
  ; An earlier version's files go first, so a library dropped from the bundle does not linger beside the new ones.
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${DIST}\*"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"

  CreateShortcut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0

  WriteRegStr HKLM "${REG_APP}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${REG_UNINSTALL}" "DisplayName" "${APP}"
  WriteRegStr HKLM "${REG_UNINSTALL}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${REG_UNINSTALL}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${REG_UNINSTALL}" "DisplayIcon" "$INSTDIR\${EXE},0"
  WriteRegStr HKLM "${REG_UNINSTALL}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${REG_UNINSTALL}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKLM "${REG_UNINSTALL}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegDWORD HKLM "${REG_UNINSTALL}" "NoModify" 1
  WriteRegDWORD HKLM "${REG_UNINSTALL}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKLM "${REG_UNINSTALL}" "EstimatedSize" $0
SectionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\${APP}.lnk"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\${UNINSTALLER}"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${REG_UNINSTALL}"
  DeleteRegKey HKLM "${REG_APP}"
  ; The users' databases, backups and logs (%LOCALAPPDATA%\Koordinator) and their settings hold patient data and
  ; stay: removing them is a decision for IT, not for an uninstaller.
SectionEnd
