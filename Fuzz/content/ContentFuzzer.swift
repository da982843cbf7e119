// libFuzzer target: any bytes, scanned by the default rules' content scanner (matcher,
// detector, decodings, pairing) as the content of a blob or file. scripts/fuzz.sh builds it
// with coverage, the address sanitizer and -DFUZZING; a plain `swift build` makes an
// executable that runs each file (or directory of files) named on its command line once.
import Foundation
import KeySweep

#if FUZZING
@_cdecl("fuzz_content_main")
func fuzzContentMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    // What is made once (the rules, the repository) is made before libFuzzer counts leaks.
    FuzzTargets.scanContent(UnsafeRawBufferPointer(start: nil, count: 0))
    return FuzzTargets.runLibFuzzer(argc, argv) { data, size in
        FuzzTargets.scanContent(UnsafeRawBufferPointer(start: data, count: size))
        return 0
    }
}
#else
@main enum ContentFuzzer {
    static func main() {
        exit(FuzzTargets.replay(Array(CommandLine.arguments.dropFirst())) { FuzzTargets.scanContent($0) })
    }
}
#endif
