# Benchmarks, included by the top-level CMakeLists.txt.  Built with
# everything else, never registered with ctest: tests/bench/run.sh runs them
# and writes docs/performance.md.
set(SLATE_BENCH_DIR ${CMAKE_CURRENT_LIST_DIR})

# The client side needs no libwebsockets: a minimal RFC 6455 client on epoll.
add_library(slate_wsc STATIC ${SLATE_BENCH_DIR}/wsc.c)
target_link_libraries(slate_wsc PUBLIC m)
foreach(tool bench_load bench_idle bench_startup bench_jitter)
  add_executable(${tool} ${SLATE_BENCH_DIR}/${tool}.c)
  target_link_libraries(${tool} PRIVATE slate_wsc)
endforeach()

# The reference server: the same libwebsockets and settings as slated.
if(LWS_FOUND)
  add_executable(bench_echo ${SLATE_BENCH_DIR}/bench_echo.c)
  target_link_libraries(bench_echo PRIVATE PkgConfig::LWS)
endif()
