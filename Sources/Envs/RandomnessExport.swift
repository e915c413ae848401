// `Envs` re-exports the shared random-number module, so that its users see one `SplitMix64`,
// one `RandomGenerator` and one Box–Muller transform whichever of Shoal's modules they import.
@_exported import Randomness
