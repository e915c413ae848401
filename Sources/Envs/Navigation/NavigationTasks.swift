extension TaskRegistry {
    /// The navigation tasks: the PEDRA-like indoor drone (the map is a parameter).
    public static var navigationTasks: [any RegisteredTask] {
        [
            Task<IndoorNavigationVector>(
                "navigation/indoor-v1",
                summary: "Fly a drone through an indoor map from a ray-cast front camera; a crash ends the flight.",
                source: "PEDRA 2.0 (Anwar & Raychowdhury 2020), Shoal environment spec §8; paper 001 §5.2",
                tags: ["navigation", "image"]),
        ]
    }
}
