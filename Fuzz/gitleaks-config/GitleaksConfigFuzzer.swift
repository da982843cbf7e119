// libFuzzer target: a gitleaks configuration (--config), read and its rules translated.
// scripts/fuzz.sh builds it with coverage, the address sanitizer and -DFUZZING; a plain `swift
// build` makes an executable that runs each file (or directory of files) named on its command line
// once.
import Foundation
import KeySweep

#if FUZZING
@_cdecl("fuzz_gitleaks_config_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    // What is made once (the rules) is made before libFuzzer counts leaks.
    FuzzTargets.readGitleaksConfig(UnsafeRawBufferPointer(start: nil, count: 0))
    return FuzzTargets.runLibFuzzer(argc, argv) { data, size in
        FuzzTargets.readGitleaksConfig(UnsafeRawBufferPointer(start: data, count: size))
        return 0
    }
}
#else
@main enum GitleaksConfigFuzzer {
    static func main() {
        exit(FuzzTargets.replay(Array(CommandLine.arguments.dropFirst())) { FuzzTargets.readGitleaksConfig($0) })
    }
}
#endif
