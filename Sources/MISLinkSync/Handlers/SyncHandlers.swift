import MISLinkRunner

/// Registers the six sync kinds' handlers.
public enum SyncHandlers {
    public static func register(in registry: HandlerRegistry, environment: SyncEnvironment) {
        registry.register(JobKinds.initialUpload, InitialUploadHandler(environment: environment))
        registry.register(JobKinds.nightlyImport, NightlyImportHandler(environment: environment))
        registry.register(JobKinds.rematch, RematchHandler(environment: environment))
        registry.register(JobKinds.rerunWizard, RerunWizardHandler(environment: environment))
        registry.register(JobKinds.writeBack, WriteBackHandler(environment: environment))
        registry.register(JobKinds.leaverToRecycleBin, LeaverHandler(environment: environment))
        registry.register(JobKinds.planUndo, PlanUndoHandler(environment: environment))
    }

    /// The built-in handlers plus the sync kinds.
    public static func registry(environment: SyncEnvironment) -> HandlerRegistry {
        let registry = BuiltInHandlers.registry()
        register(in: registry, environment: environment)
        return registry
    }
}
