import Foundation
import PackagePlugin

/// Embeds the package's rule files (`Patterns/<family>/<rule id>.toml`, one rule per file) into
/// the KeySweep library at build time, so the built binary carries its default rules and finds
/// them from any working directory.
@main
struct EmbedPatterns: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let patterns = context.package.directoryURL.appending(path: "Patterns")
        let enumerator = FileManager.default.enumerator(at: patterns, includingPropertiesForKeys: nil)
        let files = (enumerator?.allObjects as? [URL] ?? [])
            .filter { $0.pathExtension == "toml" }
            .sorted { $0.path < $1.path }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedPatterns.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(files.count) rule files from Patterns/",
                executable: try context.tool(named: "PatternEmbedder").url,
                // The embedder names each file by its path under the directory given first.
                arguments: [output.path, patterns.path] + files.map(\.path),
                inputFiles: files,
                outputFiles: [output]
            )
        ]
    }
}
