/// The handlers this build of the core provides.
public enum BuiltInHandlers {
    public static func registry() -> HandlerRegistry {
        let registry = HandlerRegistry()
        registry.register(BuiltInKinds.noop, NoopHandler())
        return registry
    }
}
