package io.archscaler.scaler;

/** Renders resource amounts the way operators write them in manifests. */
final class Amounts {
    private static final long KI = 1L << 10;
    private static final long MI = 1L << 20;
    private static final long GI = 1L << 30;

    private Amounts() {
    }

    static String cpu(long millis) {
        return millis + "m";
    }

    static String bytes(long b) {
        if (b != 0 && b % GI == 0) {
            return b / GI + "Gi";
        }
        if (b != 0 && b % MI == 0) {
            return b / MI + "Mi";
        }
        if (b != 0 && b % KI == 0) {
            return b / KI + "Ki";
        }
        return Long.toString(b);
    }
}
