// swift-tools-version:6.1
import PackageDescription

// Upcoming features every target opts into (as swift-log does): explicit `any`, and imports that do not
// leak into a module's public surface unless asked for.
let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "gcimport",
    platforms: [.macOS(.v15)],
    products: [
        // The libraries are not products: their declarations are `package`, for the command layer, the
        // benchmarks, the fuzz targets and the tests of this package only.
        .executable(name: "gcimport", targets: ["gcimport"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.100.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.30.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        // libcsv ships no pkg-config file, so the module map links `csv` by name.
        .systemLibrary(
            name: "CLibCSV",
            providers: [.apt(["libcsv-dev"])]
        ),
        // A CPU prefetch hint for the duplicate filter (Swift has none).
        .target(name: "CPrefetch"),
        // The commit `make dist` builds from, for `--version`.
        .target(name: "CBuildInfo"),
        // Stage 1: file -> records. Streams any file size through libcsv in constant memory.
        .target(
            name: "CSVReader",
            dependencies: ["CLibCSV"],
            swiftSettings: upcoming
        ),
        // A local stand-in for the GetCourse import API, for rehearsals, tests and benchmarks.
        .target(
            name: "GetCourseSandbox",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: upcoming
        ),
        // Stages 2-5: mapping, payloads, client, engine, ledger; everything the commands do.
        .target(
            name: "GCImportKit",
            dependencies: [
                "CSVReader",
                "CPrefetch",
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        // The thin command layer: parses arguments, wires the library, prints.
        .executableTarget(
            name: "gcimport",
            dependencies: [
                "GCImportKit",
                "CSVReader",
                "GetCourseSandbox",
                "CBuildInfo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        // Release-built micro benchmarks (`swift run -c release gcimport-bench ...`); see BENCHMARKS.md.
        .executableTarget(
            name: "gcimport-bench",
            dependencies: [
                "CSVReader",
                "GCImportKit",
                "GetCourseSandbox",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: upcoming
        ),
        // Fuzz targets: `scripts/fuzz.sh` builds them with libFuzzer (-sanitize=fuzzer,address -D FUZZING);
        // a plain build makes each a program that replays saved inputs (see docs/testing.md).
        .target(name: "FuzzSupport", path: "Fuzz/FuzzSupport", swiftSettings: upcoming),
        .executableTarget(
            name: "fuzz-reader",
            dependencies: ["CSVReader", "FuzzSupport"],
            path: "Fuzz/fuzz-reader",
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "fuzz-mapping",
            dependencies: ["GCImportKit", "CSVReader", "FuzzSupport"],
            path: "Fuzz/fuzz-mapping",
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "fuzz-answer",
            dependencies: ["GCImportKit", "FuzzSupport"],
            path: "Fuzz/fuzz-answer",
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "fuzz-ledger",
            dependencies: ["GCImportKit", "FuzzSupport"],
            path: "Fuzz/fuzz-ledger",
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "fuzz-sandbox-form",
            dependencies: ["GetCourseSandbox", "FuzzSupport"],
            path: "Fuzz/fuzz-sandbox-form",
            swiftSettings: upcoming
        ),
        // What several test targets share: withCleanup, so a test stops what it starts.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: upcoming),
        .testTarget(
            name: "CSVReaderTests",
            dependencies: ["CSVReader"],
            // Fixtures are read through #filePath, not bundled as resources.
            exclude: ["Fixtures"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "GetCourseSandboxTests",
            dependencies: [
                "GetCourseSandbox",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "GCImportKitTests",
            dependencies: ["GCImportKit", "CSVReader", "GetCourseSandbox", "TestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: upcoming
        ),
        // Runs the built `gcimport` binary as a user would.
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["GetCourseSandbox", "TestSupport"],
            swiftSettings: upcoming
        ),
    ]
)
