# libFuzzer targets (clang from Debian: clang, libclang-rt-14-dev).  Enabled
# with -DSLATE_FUZZ=ON in a build configured with CC=clang; tests/run.sh
# does that in its own build directory.  ctest replays each seed corpus and
# then fuzzes each target for a short, bounded time; tests/fuzz/run.sh
# fuzzes for as long as you like.
if(NOT SLATE_FUZZ)
  return()
endif()
if(NOT CMAKE_C_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "SLATE_FUZZ needs clang (CC=clang)")
endif()
set(SLATE_FUZZ_SECONDS 20 CACHE STRING "seconds each fuzz target runs in ctest")
set(FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR})
foreach(t ask load)
  add_executable(fuzz_${t} ${FUZZ_DIR}/fuzz_${t}.c)
  target_compile_options(fuzz_${t} PRIVATE -fsanitize=fuzzer)
  target_link_options(fuzz_${t} PRIVATE -fsanitize=fuzzer)
  target_link_libraries(fuzz_${t} PRIVATE slate_engine)
  target_compile_definitions(fuzz_${t} PRIVATE
                             SLATE_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
endforeach()
set(FUZZ_CORPUS_ask ${FUZZ_DIR}/corpus/ask)
set(FUZZ_CORPUS_load ${FUZZ_DIR}/corpus/kb ${FUZZ_DIR}/corpus/pat)
set(FUZZ_TARGETS ask load)
# The daemon's protocol handler (daemon/server/proto.c) with the real store.
if(LWS_FOUND)
  find_package(Threads REQUIRED)
  add_executable(fuzz_proto ${FUZZ_DIR}/fuzz_proto.c)
  target_compile_options(fuzz_proto PRIVATE -fsanitize=fuzzer)
  target_link_options(fuzz_proto PRIVATE -fsanitize=fuzzer)
  target_link_libraries(fuzz_proto PRIVATE slate_server)
  target_compile_definitions(fuzz_proto PRIVATE
                             SLATE_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
  set(FUZZ_CORPUS_proto ${FUZZ_DIR}/corpus/proto)
  list(APPEND FUZZ_TARGETS proto)
endif()
foreach(t ${FUZZ_TARGETS})
  add_test(NAME fuzz_replay_${t}
           COMMAND fuzz_${t} -runs=0 ${FUZZ_CORPUS_${t}})
  # New inputs go to a scratch corpus so the run never edits the tree.
  add_test(NAME fuzz_run_${t}
           COMMAND sh -c "mkdir -p fuzz-new-${t} && exec $<TARGET_FILE:fuzz_${t}> -max_total_time=${SLATE_FUZZ_SECONDS} -timeout=5 -rss_limit_mb=1024 -print_final_stats=1 fuzz-new-${t} ${FUZZ_CORPUS_${t}}")
  set_tests_properties(fuzz_replay_${t} fuzz_run_${t} PROPERTIES TIMEOUT 300)
endforeach()
