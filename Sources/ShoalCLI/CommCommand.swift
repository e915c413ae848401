import ArgumentParser

/// `shoal comm …`: communication graphs and mixing weights.
struct CommCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "comm",
        abstract: "Build and inspect communication graphs and mixing weights.",
        subcommands: [CommGraphCommand.self])
}
