import ArgumentParser
import Training
import TrainingCatalogue

/// A name typed on the command line for a closed set of choices: any text parses, so that the
/// one path (``NamedChoice/parse(_:)``, through the run configuration) gives the error with
/// "did you mean" and the valid names; the names also show in `--help` and completions.
struct ChoiceArgument<C: NamedChoice>: ExpressibleByArgument {
    var text: String
    init?(argument: String) { text = argument }
    static var allValueStrings: [String] { C.names }
    var defaultValueDescription: String { text }
}

/// An algorithm name (the names of ``AlgorithmRegistry/standard``).
struct AlgorithmArgument: ExpressibleByArgument {
    var text: String
    init?(argument: String) { text = argument }
    static var allValueStrings: [String] { AlgorithmRegistry.standard.names }
}

/// A strategy name (the names of ``StrategyRegistry/standard``).
struct StrategyArgument: ExpressibleByArgument {
    var text: String
    init?(argument: String) { text = argument }
    static var allValueStrings: [String] { StrategyRegistry.standard.names }
}
