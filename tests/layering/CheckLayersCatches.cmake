# The layering check must fail on planted violations (tests/layering/planted), naming each one.
#   cmake -DSOURCE_DIR=<repo> -DQT_INCLUDE_ROOT=<dir> -P tests/layering/CheckLayersCatches.cmake
cmake_minimum_required(VERSION 3.25)
execute_process(
    COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${SOURCE_DIR}/tests/layering/planted -DQT_INCLUDE_ROOT=${QT_INCLUDE_ROOT}
        -P ${SOURCE_DIR}/cmake/CheckLayers.cmake
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(out "${out}${err}")
if(rc EQUAL 0)
    message(FATAL_ERROR "the layering check passed a tree with upward includes:\n${out}")
endif()
foreach(expected
        "core/db/upward.h:3: #include \"core/store/store.h\": core/db may include only folders left of it"
        "core/locks/libpq.h:3: #include <libpq-fe.h>: libpq is used only in core/db"
        "core/jobs/widgets.h:3: #include <QWidget>: core never includes Qt Widgets"
        "core/jobs/widgets.h:4: #include <pg_query.h>: libpg_query is used only in core/sql"
        "ui/main/app.h:3: #include \"app/gui.h\": ui may include only core/ and ui/"
        "layering: 5 include")
    string(FIND "${out}" "${expected}" at)
    if(at EQUAL -1)
        message(FATAL_ERROR "the layering check did not report: ${expected}\nit said:\n${out}")
    endif()
endforeach()
message(STATUS "the layering check names each planted violation")
