/// The handlers this build of the core provides.
public enum BuiltInHandlers {
    public static func registry() -> HandlerRegistry {
        let registry = HandlerRegistry()
        registry.register(JobKinds.noop, NoopHandler())
        return registry
    }
}
