// The target that builds the test binaries' precompiled header (cmake/BitshWarnings.cmake,
// bitsh_reuse_test_pch); it is never run.
int main() { return 0; }
