# tests.cmake - register the test suite with ctest.
#   tests/unit/test_NAME.c        a cmocka executable, ctest name unit.NAME
#   tests/integration/NAME.sh     a script driving the real binary,
#                                 ctest name it.NAME; it gets SOPORTE (the
#                                 binary), SOPORTE_SRC, SOPORTE_SHARED and a
#                                 private TEST_TMPDIR in its environment.
# Integration scripts that also run on PostgreSQL say so with a line
# "# engines: sqlite postgresql"; they then run once per engine
# (it.NAME.sqlite, it.NAME.postgresql), the second only when the test
# command started a PostgreSQL cluster (SOPORTE_TEST_PG set).
# A script may also say "# parts: A B C": it then runs once per part
# (it.NAME.A.ENGINE, ...) with TEST_PART=A in its environment, so a long
# script's failure names its part and the parts run side by side.
if(CMOCKA_FOUND)
  file(GLOB UNIT_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/unit/test_*.c)
  foreach(t ${UNIT_TESTS})
    get_filename_component(name ${t} NAME_WE)
    string(REGEX REPLACE "^test_" "" short ${name})
    add_executable(${name} ${t})
    target_link_libraries(${name} PRIVATE soporte_http PkgConfig::CMOCKA)
    target_compile_definitions(${name} PRIVATE
      SOPORTE_SHARED="${SOPORTE_SHARED}" SOPORTE_SRC="${CMAKE_SOURCE_DIR}"
      SOPORTE_BUILD="${CMAKE_BINARY_DIR}")
    add_test(NAME unit.${short} COMMAND ${name})
    set_tests_properties(unit.${short} PROPERTIES LABELS unit)
  endforeach()
endif()

file(GLOB IT_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/integration/*.sh)
foreach(t ${IT_TESTS})
  get_filename_component(name ${t} NAME_WE)
  file(STRINGS ${t} engines_line REGEX "^# engines:")
  if(engines_line)
    string(REGEX REPLACE "^# engines:[ ]*" "" engines "${engines_line}")
    separate_arguments(engines)
  else()
    set(engines sqlite)
  endif()
  # "# timeout: SECONDS" for a test that takes longer than ctest's
  # default (--timeout): building the Debian package.
  file(STRINGS ${t} timeout_line REGEX "^# timeout:")
  set(timeout "")
  if(timeout_line)
    string(REGEX REPLACE "^# timeout:[ ]*" "TIMEOUT;" timeout "${timeout_line}")
  endif()
  file(STRINGS ${t} parts_line REGEX "^# parts:")
  set(parts "")
  if(parts_line)
    string(REGEX REPLACE "^# parts:[ ]*" "" parts "${parts_line}")
    separate_arguments(parts)
  endif()
  foreach(engine ${engines})
    if(engines_line)
      set(tname it.${name}.${engine})
    else()
      set(tname it.${name})
    endif()
    set(env "SOPORTE=$<TARGET_FILE:soporte>;SOPORTE_SRC=${CMAKE_SOURCE_DIR};SOPORTE_SHARED=${SOPORTE_SHARED};SOPORTE_BUILD=${CMAKE_BINARY_DIR}")
    if(parts)
      foreach(part ${parts})
        if(engines_line)
          set(pname it.${name}.${part}.${engine})
        else()
          set(pname it.${name}.${part})
        endif()
        add_test(NAME ${pname}
          COMMAND ${CMAKE_SOURCE_DIR}/tests/lib/harness.sh ${t} ${engine})
        set_tests_properties(${pname} PROPERTIES LABELS integration
          ENVIRONMENT "${env};TEST_PART=${part}" SKIP_RETURN_CODE 77)
      endforeach()
    else()
      add_test(NAME ${tname}
        COMMAND ${CMAKE_SOURCE_DIR}/tests/lib/harness.sh ${t} ${engine})
      set_tests_properties(${tname} PROPERTIES LABELS integration
        ENVIRONMENT "${env}" SKIP_RETURN_CODE 77 ${timeout})
    endif()
  endforeach()
endforeach()

# The layers and rooms held against the source text (includes, SQL,
# the rooms' order); the build's nm check holds the calls.
add_test(NAME layers COMMAND ${CMAKE_SOURCE_DIR}/tests/layers.sh
  ${CMAKE_SOURCE_DIR})
