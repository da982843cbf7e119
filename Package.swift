// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "keysweep",
    platforms: [.macOS(.v15)],   // Synchronization (Atomic, Mutex)
    products: [
        .executable(name: "keysweep", targets: ["keysweep"]),
        .library(name: "KeySweep", targets: ["KeySweep"]),
        .library(name: "KeySweepCache", targets: ["KeySweepCache"]),
        .library(name: "KeySweepVerify", targets: ["KeySweepVerify"]),
        .library(name: "KeySweepGitHub", targets: ["KeySweepGitHub"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.0"),
        // The scan cache's store (`--cache DIR`, target KeySweepCache): SQLite through GRDB.
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        // Only for `--verify` (STS GetCallerIdentity, target KeySweepVerify); no network call happens without it.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.100.0"),
    ],
    targets: [
        // C stays at the edge: system libraries, wrapped by small Swift types in KeySweep.
        .systemLibrary(
            name: "CLibGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]
        ),
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]
        ),
        // Inflating pack entries (`Inflater`): libdeflate, whole-buffer and about twice zlib's
        // speed on pack entries, whose inflated size the entry header gives. No pkgConfig: a
        // .pc would put the system library directory first on the link line, ahead of the
        // static libraries scripts/release.sh links (which links libdeflate.a by name).
        .systemLibrary(
            name: "CDeflate",
            providers: [.apt(["libdeflate-dev"])]
        ),
        .systemLibrary(
            name: "CLibArchive",
            pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"])]
        ),
        // The rule-file format: TOML to plain rule definitions, shared by the library (rules
        // given at run time) and the build tool.
        .target(
            name: "KeySweepRuleFile",
            dependencies: [.product(name: "TOMLKit", package: "TOMLKit")]
        ),
        // Build tool: reads Patterns/<family>/<rule id>.toml and writes their definitions as
        // Swift source, so the binary carries its default rules and start-up parses no TOML.
        .executableTarget(name: "PatternEmbedder", dependencies: ["KeySweepRuleFile"]),
        .plugin(
            name: "EmbedPatterns",
            capability: .buildTool(),
            dependencies: ["PatternEmbedder"]
        ),
        .target(
            name: "KeySweep",
            dependencies: [
                "CLibGit2",
                "CPCRE2",
                "CLibArchive",
                "CDeflate",
                "KeySweepRuleFile",
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            plugins: ["EmbedPatterns"]
        ),
        // The optional heavy dependencies, each in its own target so the core links neither:
        // the scan cache's SQLite store (`--cache`), and STS verification over HTTP (`--verify`).
        .target(
            name: "KeySweepCache",
            dependencies: ["KeySweep", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "KeySweepVerify",
            dependencies: [
                "KeySweep",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // GitHub's REST API for `--github-user`, `--github-org`, `--gists` and gist ids.
        .target(
            name: "KeySweepGitHub",
            dependencies: [
                "KeySweep",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "keysweep",
            dependencies: [
                "KeySweep",
                "KeySweepCache",
                "KeySweepVerify",
                "KeySweepGitHub",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmark tool: the blob-read floor that Benchmarks/compare.sh measures keysweep against.
        .executableTarget(name: "keysweep-floor", dependencies: ["KeySweep"]),
        // libFuzzer targets (scripts/fuzz.sh; seed corpora in Fuzz/corpus/). In a plain build they
        // are small executables that run the inputs named on their command line once.
        .executableTarget(name: "fuzz-content", dependencies: ["KeySweep"], path: "Fuzz/content"),
        .executableTarget(name: "fuzz-pack-index", dependencies: ["KeySweep"], path: "Fuzz/pack-index"),
        .executableTarget(name: "fuzz-ignore-file", dependencies: ["KeySweep"], path: "Fuzz/ignore-file"),
        .executableTarget(name: "fuzz-gitleaks-config", dependencies: ["KeySweep"], path: "Fuzz/gitleaks-config"),
        .executableTarget(name: "fuzz-rule-file", dependencies: ["KeySweep"], path: "Fuzz/rule-file"),
        .executableTarget(name: "fuzz-report", dependencies: ["KeySweep"], path: "Fuzz/report"),
        .testTarget(
            name: "KeySweepTests",
            // The end-to-end tests run the built `keysweep` binary.
            dependencies: ["KeySweep", "KeySweepVerify", "KeySweepGitHub", "keysweep"]
        ),
    ]
)
