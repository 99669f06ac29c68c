package io.archscaler.cloud.aws;

import io.archscaler.scaler.model.Arch;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A small in-memory instance-type catalog for provider tests, with real published figures. */
public final class TestCatalog {
    public static final InstanceTypeFacts M7G_LARGE = new InstanceTypeFacts("m7g.large", Arch.ARM64, 2, 8192, 29, 0, 0.0816);
    public static final InstanceTypeFacts C7G_LARGE = new InstanceTypeFacts("c7g.large", Arch.ARM64, 2, 4096, 29, 0, 0.0725);
    public static final InstanceTypeFacts C7G_XLARGE = new InstanceTypeFacts("c7g.xlarge", Arch.ARM64, 4, 8192, 58, 0, 0.145);
    public static final InstanceTypeFacts G5G_XLARGE = new InstanceTypeFacts("g5g.xlarge", Arch.ARM64, 4, 8192, 58, 1, 0.42);
    public static final InstanceTypeFacts M5_LARGE = new InstanceTypeFacts("m5.large", Arch.AMD64, 2, 8192, 29, 0, 0.096);
    public static final InstanceTypeFacts C5_XLARGE = new InstanceTypeFacts("c5.xlarge", Arch.AMD64, 4, 8192, 58, 0, 0.17);

    private TestCatalog() {
    }

    public static InstanceTypeLookup lookup() {
        Map<String, InstanceTypeFacts> byName = List.of(M7G_LARGE, C7G_LARGE, C7G_XLARGE, G5G_XLARGE, M5_LARGE, C5_XLARGE)
                .stream().collect(Collectors.toMap(InstanceTypeFacts::name, Function.identity()));
        return InstanceTypeLookup.of(name -> Optional.ofNullable(byName.get(name)));
    }
}
