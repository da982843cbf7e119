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
        let entries = (enumerator?.allObjects as? [URL] ?? []).sorted { $0.path < $1.path }
        let files = entries.filter { $0.pathExtension == "toml" }
        // The folders too: a rule file added or removed changes its folder, which runs the
        // embedder again (SwiftPM does not plan the build again for a new file outside Sources/).
        // The embedder then reads the folder itself, not this list.
        let folders = [patterns] + entries.filter { (try? $0.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedPatterns.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(files.count) rule files from Patterns/",
                executable: try context.tool(named: "PatternEmbedder").url,
                arguments: [output.path, patterns.path],
                inputFiles: folders + files,
                outputFiles: [output]
            )
        ]
    }
}
