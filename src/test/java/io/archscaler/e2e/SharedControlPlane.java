package io.archscaler.e2e;

import io.archscaler.controlplane.ControlPlane;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@link ControlPlane} for every end-to-end test class of a JVM: started by the first class that
 * asks for it (a {@code ControlPlane} parameter of a test, a constructor or a {@code @BeforeAll}), kept
 * in JUnit's root store, and closed by JUnit when the run ends. Missing binaries fail the test with
 * what to run; they never skip it.
 */
public final class SharedControlPlane implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedControlPlane.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ControlPlane.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // the root store outlives every test class and closes what it holds (AutoCloseable) at the end of the run
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(ControlPlane.class, k -> ControlPlane.start(),
                ControlPlane.class);
    }
}
