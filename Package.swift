// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Keyway",
    products: [
        .executable(name: "compile", targets: ["compile"]),
        .library(name: "KeywayCore", targets: ["KeywayCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        // libcurl bound at run time (dlopen): `compile plan`'s HTTPS with a private CA (docs/plan.md).
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "KeywayCore", dependencies: ["CLibYAML"], exclude: ["Kubernetes/KubernetesSchema.SOURCE.md"]),
        .executableTarget(
            name: "compile",
            dependencies: [
                "KeywayCore",
                "CCurl",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "KeywayCoreTests",
            dependencies: ["KeywayCore"],
            resources: []
        ),
    ]
)
