/// The bundled robots, each loaded and validated once per process.
enum LocomotionBodies {
    static let hopper: Result<BodyModel, BodyModelError> = Result { () throws(BodyModelError) -> BodyModel in try BodyModel.bundled("hopper") }
    static let ant: Result<BodyModel, BodyModelError> = Result { () throws(BodyModelError) -> BodyModel in try BodyModel.bundled("ant") }
}
