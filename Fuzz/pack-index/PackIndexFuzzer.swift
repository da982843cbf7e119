// libFuzzer target: a pack index and its pack (the first two bytes, little-endian, are the
// length of the pack at the end of the input; the bytes between are the `.idx`), written into
// a bare repository, checked, opened, listed in pack order and read as a scan does.
// scripts/fuzz.sh builds it with coverage, the address sanitizer and -DFUZZING; a plain
// `swift build` makes an executable that runs each file (or directory of files) named on its
// command line once.
import Foundation
import KeySweep

#if FUZZING
@_cdecl("fuzz_pack_index_main")
func fuzzPackIndexMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    // What is made once (the rules, the repository) is made before libFuzzer counts leaks.
    FuzzTargets.openPackIndex(UnsafeRawBufferPointer(start: nil, count: 0))
    return FuzzTargets.runLibFuzzer(argc, argv) { data, size in
        FuzzTargets.openPackIndex(UnsafeRawBufferPointer(start: data, count: size))
        return 0
    }
}
#else
@main enum PackIndexFuzzer {
    static func main() {
        exit(FuzzTargets.replay(Array(CommandLine.arguments.dropFirst())) { FuzzTargets.openPackIndex($0) })
    }
}
#endif
