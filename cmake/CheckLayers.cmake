# The layering check (issue 11), run by CTest as `layering`:
#   cmake -DSOURCE_DIR=<repo> [-DQT_INCLUDE_ROOT=<dir holding QtWidgets/>] -P cmake/CheckLayers.cmake
#
# Dependencies point one way. A folder of core/ may include only core folders left of it (or its
# own); ui/ may include core/ and ui/; app/ and tools/ may include ui/ and core/. core/ never
# includes ui/, app/, tools/, Qt Widgets or Qt Gui. libpq only in core/db, libpg_query only in
# core/sql. Every include of ours is rooted ("core/db/pgconnection.h"), so relative ones fail too.
# Fails (exit code != 0) naming each file, line and the rule it breaks.

cmake_minimum_required(VERSION 3.25)

set(core_layers core logging jobs db sql store process sandbox connect migrate schema locks backup ops review)
list(JOIN core_layers " < " layer_order)

if(NOT SOURCE_DIR)
    message(FATAL_ERROR "CheckLayers: pass -DSOURCE_DIR=<repository root>")
endif()

# Qt headers a core file must not include: every header of QtWidgets and QtGui (by name, since
# <QWidget> resolves through the module's own include folder), and any <QtWidgets/...>/<QtGui/...>.
set(forbidden_qt_headers)
if(QT_INCLUDE_ROOT)
    foreach(module QtWidgets QtGui)
        if(IS_DIRECTORY "${QT_INCLUDE_ROOT}/${module}")
            file(GLOB names RELATIVE "${QT_INCLUDE_ROOT}/${module}" "${QT_INCLUDE_ROOT}/${module}/Q*")
            list(APPEND forbidden_qt_headers ${names})
        endif()
    endforeach()
endif()
# Without the Qt folder (or in addition), the Widgets entry points by name.
list(APPEND forbidden_qt_headers QWidget QApplication QMainWindow QDialog QMessageBox QGuiApplication QPixmap
    QImage QIcon QColor QFont QPainter QAction QStyle)
list(REMOVE_DUPLICATES forbidden_qt_headers)

function(layer_rank folder out)
    list(FIND core_layers "${folder}" rank)
    set(${out} ${rank} PARENT_SCOPE)
endfunction()

set(violations)
file(GLOB_RECURSE sources RELATIVE "${SOURCE_DIR}"
    "${SOURCE_DIR}/core/*.h" "${SOURCE_DIR}/core/*.cpp"
    "${SOURCE_DIR}/ui/*.h" "${SOURCE_DIR}/ui/*.cpp"
    "${SOURCE_DIR}/app/*.h" "${SOURCE_DIR}/app/*.cpp"
    "${SOURCE_DIR}/tools/*.h" "${SOURCE_DIR}/tools/*.cpp")
list(SORT sources)
list(LENGTH sources source_count)
if(source_count EQUAL 0)
    message(FATAL_ERROR "CheckLayers: no sources under ${SOURCE_DIR}/core, ui, app")
endif()

foreach(source IN LISTS sources)
    string(REGEX MATCH "^[^/]+" top "${source}")
    set(own_rank -1)
    if(top STREQUAL "core")
        if(source MATCHES "^core/([^/]+)/")
            set(own_folder "${CMAKE_MATCH_1}")
        else()
            set(own_folder core) # core/error.h, core/paths.h
        endif()
        layer_rank("${own_folder}" own_rank)
        if(own_rank EQUAL -1)
            list(APPEND violations "${source}: core/${own_folder} is not in the layer order (${layer_order}): add it in cmake/CheckLayers.cmake")
            continue()
        endif()
    endif()

    # One list element per line (";" and brackets would split or join elements, and never matter
    # in an include line), so the line number is the element's index + 1.
    file(READ "${SOURCE_DIR}/${source}" content)
    string(REGEX REPLACE "[][;\\]" "_" content "${content}")
    string(REPLACE "\n" ";" all_lines "${content}")
    set(lineno 0)
    foreach(line IN LISTS all_lines)
        math(EXPR lineno "${lineno} + 1")
        if(NOT line MATCHES "^[ \t]*#[ \t]*include[ \t]*([<\"])([^>\"]+)[>\"]")
            continue()
        endif()
        set(quote "${CMAKE_MATCH_1}")
        set(header "${CMAKE_MATCH_2}")
        if(quote STREQUAL "<")
            set(where "${source}:${lineno}: #include <${header}>")
        else()
            set(where "${source}:${lineno}: #include \"${header}\"")
        endif()

        # Third-party libraries bound to one folder.
        if(header MATCHES "(^|/)libpq-fe\\.h$|(^|/)libpq-events\\.h$|(^|/)libpq/")
            if(NOT source MATCHES "^core/db/")
                list(APPEND violations "${where}: libpq is used only in core/db")
            endif()
            continue()
        endif()
        if(header MATCHES "(^|/)pg_query(\\.h$|/)")
            if(NOT source MATCHES "^core/sql/")
                list(APPEND violations "${where}: libpg_query is used only in core/sql")
            endif()
            continue()
        endif()

        if(quote STREQUAL "<")
            if(top STREQUAL "core")
                if(header MATCHES "^(QtWidgets|QtGui)(/|$)")
                    list(APPEND violations "${where}: core never includes Qt Widgets or Qt Gui")
                elseif(header MATCHES "^Q[A-Za-z0-9]*$" AND header IN_LIST forbidden_qt_headers)
                    list(APPEND violations "${where}: core never includes Qt Widgets or Qt Gui")
                endif()
            endif()
            continue()
        endif()

        # A header of ours: rooted at the repository.
        if(NOT header MATCHES "^(core|ui|app|tools)/")
            list(APPEND violations "${where}: includes of the project are rooted (core/..., ui/..., app/...)")
            continue()
        endif()
        string(REGEX MATCH "^[^/]+" target_top "${header}")
        if(top STREQUAL "core")
            if(NOT target_top STREQUAL "core")
                list(APPEND violations "${where}: core never includes ${target_top}/")
                continue()
            endif()
            if(header MATCHES "^core/([^/]+)/")
                set(target_folder "${CMAKE_MATCH_1}")
            else()
                set(target_folder core)
            endif()
            layer_rank("${target_folder}" target_rank)
            if(target_rank EQUAL -1)
                list(APPEND violations "${where}: core/${target_folder} is not in the layer order (${layer_order})")
            elseif(target_rank GREATER own_rank)
                list(APPEND violations "${where}: core/${own_folder} may include only folders left of it (${layer_order}), not core/${target_folder}")
            endif()
        elseif(top STREQUAL "ui")
            if(NOT target_top MATCHES "^(core|ui)$")
                list(APPEND violations "${where}: ui may include only core/ and ui/")
            endif()
        elseif(top STREQUAL "app")
            if(target_top STREQUAL "tools")
                list(APPEND violations "${where}: app never includes tools/")
            endif()
        endif()
    endforeach()
endforeach()

list(LENGTH violations count)
if(count GREATER 0)
    list(JOIN violations "\n" text)
    message(NOTICE "${text}")
    message(FATAL_ERROR "layering: ${count} include(s) point the wrong way (see above)")
endif()
message(STATUS "layering: ${source_count} files checked, every include points the right way")
