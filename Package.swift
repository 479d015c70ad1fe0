// swift-tools-version:6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "pulje",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "pulje", targets: ["pulje"])
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        // Writes the XLSX export (an XLSX file is a zip of XML parts).
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        // `/metrics` in Prometheus' text format (the Swift Server Workgroup's Prometheus library).
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // HMAC and HKDF for the citizens' pseudonyms (the domain's rule), from Apple's swift-crypto, which
        // Vapor already depends on.
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        // Verifies the ID tokens of the OpenID Connect sign-in (MitID Erhverv brokers): JWS signatures with the
        // provider's JWKS. Vapor's own JWT library, kept by the Vapor core team.
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        // Reads and writes multipart bodies (to drop NULs from an upload's text parts); Vapor's own, which it
        // already depends on.
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.2.1"),
    ],
    targets: [
        // The rules of the programme: no Vapor, no Fluent, no I/O.
        .target(
            name: "PuljeDomain",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // The HTML builder (escaping by construction), the document shell and the form components.
        .target(
            name: "PuljeHTML",
            swiftSettings: swiftSettings
        ),
        // HTTP, storage and pages mapped onto the domain.
        .target(
            name: "PuljeApp",
            dependencies: [
                "PuljeDomain",
                "PuljeHTML",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "pulje",
            dependencies: ["PuljeApp"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PuljeDomainTests",
            dependencies: ["PuljeDomain"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PuljeAppTests",
            dependencies: [
                "PuljeApp",
                "PuljeHTML",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
