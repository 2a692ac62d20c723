# slated: the WebSocket daemon (issue 3), included by the top-level
# CMakeLists.txt.  Needs libwebsockets (Debian 12: 4.1.6).
if(NOT LWS_FOUND)
  message(WARNING "libwebsockets not found: slated is not built")
  return()
endif()
find_package(Threads REQUIRED)
# libev: slated runs its own libev loop and hands it to lws (the default
# event loop); lws loads its libev plugin (libwebsockets-evlib-ev) at start.
find_path(EV_INCLUDE_DIR ev.h)
find_library(EV_LIBRARY ev)
if(NOT EV_INCLUDE_DIR OR NOT EV_LIBRARY)
  message(FATAL_ERROR "libev not found: apt-get install libev-dev "
                      "libwebsockets-evlib-ev")
endif()

set(SLATED_DIR ${CMAKE_CURRENT_LIST_DIR})
add_executable(slated
  ${SLATED_DIR}/slated.c ${SLATED_DIR}/cfg.c ${SLATED_DIR}/log.c
  ${SLATED_DIR}/met.c ${SLATED_DIR}/http.c ${SLATED_DIR}/ws.c
  ${SLATED_DIR}/store.c ${SLATED_DIR}/ckpt.c ${SLATED_DIR}/reload.c
  ${SLATED_DIR}/proto.c)
target_link_libraries(slated PRIVATE slate_engine PkgConfig::LWS
                      ${EV_LIBRARY} Threads::Threads)
target_include_directories(slated PRIVATE ${EV_INCLUDE_DIR})
# Run from this build tree, slated serves the checkout it was built from.
get_filename_component(SLATED_ROOT ${SLATED_DIR} DIRECTORY)
target_compile_definitions(slated PRIVATE
  SLATE_BUILD_DIR="${CMAKE_BINARY_DIR}" SLATE_SOURCE_DIR="${SLATED_ROOT}")
install(TARGETS slated RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# `slate unanswered` lists the questions slated recorded as fallbacks.
target_sources(slate PRIVATE ${SLATED_DIR}/unans.c)

# Protocol tests: node's test runner and the ws package (npm ci), each file
# against its own slated on a free port.
find_program(NODE_EXECUTABLE node)
if(NODE_EXECUTABLE)
  file(GLOB SLATED_PROTOCOL_TESTS ${SLATED_DIR}/../tests/protocol/*.test.js)
  foreach(t ${SLATED_PROTOCOL_TESTS})
    get_filename_component(name ${t} NAME_WE)
    add_test(NAME protocol_${name}
             COMMAND ${NODE_EXECUTABLE} --test ${t}
             WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
    set_tests_properties(protocol_${name} PROPERTIES TIMEOUT 120
      ENVIRONMENT "SLATED=$<TARGET_FILE:slated>;SLATE=$<TARGET_FILE:slate>;SLATE_ROOT=${CMAKE_SOURCE_DIR}")
  endforeach()
else()
  message(WARNING "node not found: protocol tests are not registered")
endif()
