import ArgumentParser
import Testing
@testable import ShoalCLI

@Suite struct BenchNNCommandTests {
    static func message(_ arguments: [String]) -> String? {
        do {
            _ = try BenchNNCommand.parseAsRoot(arguments)
            return nil
        } catch {
            return BenchNNCommand.message(for: error)
        }
    }

    @Test func badArgumentsGiveOneClearSentence() {
        #expect(Self.message(["--layers", "64,x"])
            == "--layers must be positive integers separated by commas (e.g. 64,64), but '64,x' contains 'x'.")
        #expect(Self.message(["--layers", "64,0"])?.contains("'0'") == true)
        #expect(Self.message(["--layers", ""]) == "--layers needs at least one hidden width, e.g. --layers 64,64.")
        #expect(Self.message(["--activation", "gelu"])
            == "Unknown activation 'gelu'; valid activations are identity, tanh, relu and softplus.")
        #expect(Self.message(["--batch", "0"]) == "--batch must be a positive integer, got 0.")
        #expect(Self.message(["--layers", "100000,100000"])?.hasPrefix("The model or batch is too large") == true)
    }

    @Test func defaultsParse() throws {
        let command = try #require(try BenchNNCommand.parseAsRoot(["--layers", "400,400", "--activation", "relu"]) as? BenchNNCommand)
        #expect(command.hiddenSizes == [400, 400])
        #expect(command.parsedActivation == .relu)
        #expect(command.batch == 256 && command.inputs == 8 && command.outputs == 1 && !command.json)
    }
}
