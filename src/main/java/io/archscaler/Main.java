package io.archscaler;

/** Entry point of the archscaler command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("archscaler");
    }
}
