import Foundation
import PackagePlugin

/// Embeds the package's `Patterns/*.toml` into the KeySweep library at build time, so the
/// built binary carries its default rules and finds them from any working directory.
@main
struct EmbedPatterns: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let patterns = context.package.directoryURL.appending(path: "Patterns")
        let files = try FileManager.default
            .contentsOfDirectory(at: patterns, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "toml" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedPatterns.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(files.count) rule files from Patterns/",
                executable: try context.tool(named: "PatternEmbedder").url,
                arguments: [output.path] + files.map(\.path),
                inputFiles: files,
                outputFiles: [output]
            )
        ]
    }
}
