import Foundation
import Testing
import NeuralNets

struct ActivationCodingTests {
    @Test func unknownActivationNamesTheValidOnes() throws {
        #expect(try JSONDecoder().decode([Activation].self, from: Data(#"["relu", "tanh"]"#.utf8)) == [.relu, .tanh])
        #expect(String(decoding: try JSONEncoder().encode([Activation.softplus]), as: UTF8.self) == #"["softplus"]"#)
        do {
            _ = try JSONDecoder().decode([Activation].self, from: Data(#"["sigmoid"]"#.utf8))
            Issue.record("no error")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.debugDescription == "'sigmoid' is not an activation; valid activations are identity, tanh, relu, softplus")
        }
    }
}
