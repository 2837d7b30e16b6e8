# The portability check (docs/architecture.md, "The platform layer"): every call that standard C++ and Qt do not
# cover is made in app/platform/ and nowhere else. It runs as the ctest portability_check, on every system CI builds
# on (a CMake script, so Windows needs no shell):
#
#   cmake -DROOT=<source folder> -P cmake/CheckPortability.cmake
#
# It reads every .cpp and .h under ROOT's app/, models/, ui/ and tests/ and fails, naming file:line and the rule,
# when a file outside app/platform/
#   - includes a POSIX or Windows system header (unistd.h, fcntl.h, csignal, sys/*, pwd.h, …, windows.h, aclapi.h,
#     sddl.h, werapi.h, winreg.h, …, Qt's private qcore_unix_p.h and the like; and, in angle brackets only, as a
#     project's header could have the name, <signal.h>, <process.h>, <io.h>, <util.h>, …), or
#   - calls the system directly: isatty, fileno, prctl, setrlimit, sigaction, socketpair, posix_openpt, chmod, popen,
#     setenv, realpath, _wfopen, GetLastError, …, possibly after std:: or ::, signal( and raise( with an argument,
#     ::kill(, ::read(, … (a call through an object or a class, such as process.kill(), a widget's raise() or
#     SnapshotFiles::read(, is not one);
# and, in the product's code (app/, models/, ui/), when a file
#   - sets a file mode with setPermissions( or std::filesystem::permissions( (the product's private files are made
#     private by Platform::restrictToOwner, which on Windows sets an ACL where QFile::setPermissions only toggles
#     read-only; tests may still give a script they write its execute bit), or
#   - names "/proc/" (Linux only; tests may read it, under Q_OS_LINUX).
# Comments are removed before matching (a comment may name a call); string literals are removed before matching calls
# but kept for "/proc/".
#
# Not read: tests/benchmarks and tests/fuzz, Linux-only programs (tests/benchmarks is built on Linux only; tests/fuzz
# only by the clang "fuzz" preset); tests/data (fixtures: tests/data/portability holds this check's own, a file
# that breaks every rule); tests/peers (Node).
#
# With -DEXPECT=<file>, the check proves it can fail: it runs itself on ROOT and succeeds only if that run fails and
# reports exactly the "file:line: rule" lines listed in the file (the ctest portability_check_fails, on
# tests/data/portability).

cmake_minimum_required(VERSION 3.25)

if(NOT DEFINED ROOT)
    message(FATAL_ERROR "usage: cmake -DROOT=<source folder> [-DEXPECT=<file>] -P ${CMAKE_CURRENT_LIST_FILE}")
endif()
get_filename_component(ROOT "${ROOT}" ABSOLUTE)

if(DEFINED EXPECT)
    execute_process(COMMAND "${CMAKE_COMMAND}" "-DROOT=${ROOT}" -P "${CMAKE_CURRENT_LIST_FILE}"
                    RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(result EQUAL 0)
        message(FATAL_ERROR "The check passed on ${ROOT}, which breaks its rules:\n${out}${err}")
    endif()
    string(REGEX MATCHALL "[^\n]+" printed "${out}${err}")
    set(reported "")
    foreach(line IN LISTS printed)
        if(line MATCHES "^([^:]+:[0-9]+: [^:]+): ")
            list(APPEND reported "${CMAKE_MATCH_1}")
        endif()
    endforeach()
    file(STRINGS "${EXPECT}" expected REGEX "^[^#]")
    list(SORT reported)
    list(SORT expected)
    if(NOT reported STREQUAL expected)
        string(REPLACE ";" "\n  " reported "${reported}")
        string(REPLACE ";" "\n  " expected "${expected}")
        message(FATAL_ERROR "The check on ${ROOT} reported\n  ${reported}\nwhere ${EXPECT} expects\n  ${expected}\n"
                            "Its whole output:\n${out}${err}")
    endif()
    list(LENGTH reported count)
    message(STATUS "The check failed on ${ROOT} as it should, with the ${count} violations expected")
    return()
endif()

# The files to read.
set(files "")
foreach(folder IN ITEMS app models ui)
    file(GLOB_RECURSE found LIST_DIRECTORIES false RELATIVE "${ROOT}" "${ROOT}/${folder}/*.cpp" "${ROOT}/${folder}/*.h")
    list(APPEND files ${found})
endforeach()
file(GLOB found LIST_DIRECTORIES false RELATIVE "${ROOT}" "${ROOT}/tests/*.cpp" "${ROOT}/tests/*.h")
list(APPEND files ${found})
file(GLOB subfolders LIST_DIRECTORIES true RELATIVE "${ROOT}" "${ROOT}/tests/*")
foreach(folder IN LISTS subfolders)
    if(NOT IS_DIRECTORY "${ROOT}/${folder}" OR folder MATCHES "^tests/(benchmarks|fuzz|data|peers)$")
        continue()
    endif()
    file(GLOB_RECURSE found LIST_DIRECTORIES false RELATIVE "${ROOT}" "${ROOT}/${folder}/*.cpp" "${ROOT}/${folder}/*.h")
    list(APPEND files ${found})
endforeach()
list(FILTER files EXCLUDE REGEX "^app/platform/")
list(SORT files)

# The rules. Headers are matched on the line in lower case (Windows' file names ignore case). A name a project header
# could also have (process.h, signal.h, io.h, util.h, …: "Signal.h" is one, in lower case) is a system header only in
# angle brackets; the others in quotes too. Qt's private headers for one system (private/qcore_unix_p.h, …) are
# system headers too.
set(unix_headers "unistd\\.h|fcntl\\.h|csignal|sys/[^>\"]*|pwd\\.h|grp\\.h|dirent\\.h|termios\\.h|\
dlfcn\\.h|pthread\\.h|pty\\.h|netdb\\.h|ifaddrs\\.h|execinfo\\.h|\
ucontext\\.h|libproc\\.h|(netinet|arpa|net|linux|asm|mach|mach-o|corefoundation|coreservices|security)/[^>\"]*")
set(windows_headers "windows\\.h|winbase\\.h|winnt\\.h|winuser\\.h|winsock2?\\.h|ws2tcpip\\.h|aclapi\\.h|accctrl\\.h|\
sddl\\.h|werapi\\.h|conio\\.h|shlobj\\.h|shellapi\\.h|tlhelp32\\.h|psapi\\.h|\
dbghelp\\.h|wincrypt\\.h|dpapi\\.h|objbase\\.h|lmcons\\.h|(qtcore/)?qt_windows\\.h|winreg\\.h|wincred\\.h|fileapi\\.h|\
processthreadsapi\\.h|handleapi\\.h|consoleapi\\.h|wincon\\.h|errhandlingapi\\.h|winerror\\.h|shlwapi\\.h|\
([a-z]+/)?private/q[a-z_]*_(unix|win)_p\\.h")
set(angle_headers "signal\\.h|spawn\\.h|poll\\.h|sched\\.h|semaphore\\.h|syslog\\.h|util\\.h|copyfile\\.h|io\\.h|\
process\\.h|direct\\.h")
set(include_rule "#[ \t]*include[ \t]*([<\"](${unix_headers}|${windows_headers})[>\"]|<(${angle_headers})>)")
set(header_rule "^[ \t]*${include_rule}")
# Called with or without std:: or :: before them.
set(plain_calls "isatty|_isatty|_fileno|fileno|_get_osfhandle|prctl|setrlimit|getrlimit|sigaction|sigemptyset|\
socketpair|posix_openpt|grantpt|unlockpt|ptsname|fcntl|fchmod|chmod|_chmod|_wchmod|umask|fork|execv|execvp|execve|\
waitpid|geteuid|getuid|setsid|setpgid|tcgetattr|tcsetattr|popen|pclose|setenv|unsetenv|_putenv|localtime_r|gmtime_r|\
strerror_r|mkstemp|mkdtemp|realpath|_fopen|_wfopen|_open|_wopen|_setmode|SetConsoleCtrlHandler|TerminateProcess|\
SetErrorMode|SetNamedSecurityInfoW|GetLastError")
# The same, but only with an argument: signal(SIGINT, …) and raise(SIGSEGV) are the system's, a widget's raise() is
# Qt's.
set(argument_calls "signal|raise")
# Only as ::name(: a bare read( or close( is as likely a function of the project's.
set(global_calls "kill|read|write|close|open|pipe|dup2")
# Before the name (or the std:: or :: before it): not a letter, digit, _, . or > (a member) and not a : (a class's
# function, such as SnapshotFiles::read().
set(before "(^|[^A-Za-z0-9_.>:])")
set(call_rule "${before}(std::|::)?(${plain_calls})[ \t]*\\(|${before}(std::|::)?(${argument_calls})[ \t]*\\([ \t]*[^) \t]|\
${before}::(${global_calls})[ \t]*\\(")
set(mode_rule "(setPermissions|filesystem::permissions)[ \t]*\\(")
set(proc_rule "/proc/")
# A file none of whose text (in lower case for the headers) could break a rule is not read line by line.
set(may_include "${include_rule}")
set(may_call "(${plain_calls}|${argument_calls})[ \t]*\\(|::(${global_calls})[ \t]*\\(|setPermissions|\
filesystem::permissions|/proc/")

# Characters CMake's lists would take for their own, replaced while a file is read as a list of lines.
string(ASCII 1 SEMI)
string(ASCII 2 BS)
string(ASCII 3 LB)
string(ASCII 4 RB)

set(violations 0)
# Prints "file:line: rule: the line".
macro(report rule)
    string(STRIP "${line}" shown)
    string(REPLACE "${SEMI}" ";" shown "${shown}")
    string(REPLACE "${BS}" "\\" shown "${shown}")
    string(REPLACE "${LB}" "[" shown "${shown}")
    string(REPLACE "${RB}" "]" shown "${shown}")
    message(NOTICE "${file}:${number}: ${rule}: ${shown}")
    math(EXPR violations "${violations} + 1")
endmacro()

foreach(file IN LISTS files)
    file(READ "${ROOT}/${file}" content)
    string(TOLOWER "${content}" lowered)
    if(NOT lowered MATCHES "${may_include}" AND NOT content MATCHES "${may_call}")
        continue()
    endif()
    set(product FALSE)
    if(file MATCHES "^(app|models|ui)/")
        set(product TRUE)
    endif()
    string(REPLACE "\r" "" content "${content}")
    string(REPLACE "\\" "${BS}" content "${content}")
    string(REPLACE ";" "${SEMI}" content "${content}")
    string(REPLACE "[" "${LB}" content "${content}")
    string(REPLACE "]" "${RB}" content "${content}")
    string(REPLACE "\n" ";" lines "${content}")

    # Each line twice: code (comments removed, strings kept) and bare (strings removed too).
    set(state "code") # code, comment (inside /* */) or raw (inside a raw string literal, which ends with raw_end)
    set(raw_end "")
    set(number 0)
    foreach(line IN LISTS lines)
        math(EXPR number "${number} + 1")
        set(code "")
        set(bare "")
        set(rest "${line}")
        while(NOT rest STREQUAL "")
            if(state STREQUAL "comment")
                string(FIND "${rest}" "*/" at)
                if(at EQUAL -1)
                    break()
                endif()
                math(EXPR at "${at} + 2")
                string(SUBSTRING "${rest}" ${at} -1 rest)
                string(APPEND code " ")
                string(APPEND bare " ")
                set(state "code")
                continue()
            elseif(state STREQUAL "raw")
                string(FIND "${rest}" "${raw_end}" at)
                if(at EQUAL -1)
                    string(APPEND code "${rest}")
                    break()
                endif()
                string(LENGTH "${raw_end}" length)
                math(EXPR at "${at} + ${length}")
                string(SUBSTRING "${rest}" 0 ${at} literal)
                string(SUBSTRING "${rest}" ${at} -1 rest)
                string(APPEND code "${literal}")
                string(APPEND bare "\"\"")
                set(state "code")
                continue()
            endif()
            # The first of ", ', // and /*.
            set(first -1)
            foreach(token IN ITEMS "\"" "'" "//" "/*")
                string(FIND "${rest}" "${token}" at)
                if(NOT at EQUAL -1 AND (first EQUAL -1 OR at LESS first))
                    set(first ${at})
                endif()
            endforeach()
            if(first EQUAL -1)
                string(APPEND code "${rest}")
                string(APPEND bare "${rest}")
                break()
            endif()
            string(SUBSTRING "${rest}" 0 ${first} before)
            string(SUBSTRING "${rest}" ${first} -1 rest)
            string(APPEND code "${before}")
            string(APPEND bare "${before}")
            if(rest MATCHES "^//")
                break()
            elseif(rest MATCHES "^/\\*")
                string(SUBSTRING "${rest}" 2 -1 rest)
                set(state "comment")
            elseif(rest MATCHES "^\"" AND before MATCHES "(^|[^A-Za-z0-9_])(u8|u|U|L)?R$" AND rest MATCHES "^\"([^ ()${BS}\"]*)\\(")
                # A raw string literal: R"delimiter( … )delimiter", possibly over several lines.
                set(raw_end ")${CMAKE_MATCH_1}\"")
                string(LENGTH "${CMAKE_MATCH_0}" length)
                string(SUBSTRING "${rest}" 0 ${length} literal)
                string(SUBSTRING "${rest}" ${length} -1 rest)
                string(APPEND code "${literal}")
                set(state "raw")
            elseif(rest MATCHES "^(\"(${BS}.|[^\"${BS}])*\"|'(${BS}.|[^'${BS}])*')")
                string(LENGTH "${CMAKE_MATCH_1}" length)
                string(SUBSTRING "${rest}" ${length} -1 after)
                string(APPEND code "${CMAKE_MATCH_1}")
                string(APPEND bare "\"\"")
                set(rest "${after}")
            else()
                # An unterminated literal: the rest of the line.
                string(APPEND code "${rest}")
                break()
            endif()
        endwhile()

        string(TOLOWER "${code}" lower)
        if(lower MATCHES "${header_rule}")
            report("includes a system header")
        endif()
        if(bare MATCHES "${call_rule}")
            report("calls the system directly")
        endif()
        if(product AND bare MATCHES "${mode_rule}")
            report("sets a file mode")
        endif()
        if(product AND code MATCHES "${proc_rule}")
            report("reads /proc")
        endif()
    endforeach()
endforeach()

list(LENGTH files read)
if(violations GREATER 0)
    message(FATAL_ERROR
        "${violations} portability violation(s) in the ${read} files read: a call the C++ standard and Qt do not cover "
        "belongs in app/platform/ (docs/architecture.md, \"The platform layer\").")
endif()
message(STATUS "Portability: ${read} files read, no system header or call outside app/platform/")
