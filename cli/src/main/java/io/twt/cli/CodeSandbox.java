package io.twt.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The eval sandbox (eval-service/README.md): bubblewrap as user nobody (as root), else, as root, unshare's private
 * network namespace; without either eval-service refuses code tasks and the demo shows them as not run.
 */
final class CodeSandbox {

    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private CodeSandbox() {
    }

    /**
     * Sets the sandbox up as .ci/run does where the user may install packages (root, or sudo without a password); else
     * says in one line what to run. Never fails: mcq and math are evaluated either way.
     */
    static void check(Checkout checkout) {
        if (works()) {
            return;
        }
        boolean hasBwrap = succeeds(List.of("sh", "-c", "command -v bwrap"));
        if (!hasBwrap && succeeds(List.of("sh", "-c", "command -v apt-get")) && (ROOT || succeeds(List.of("sudo", "-n", "true")))) {
            Console.log("installing bubblewrap for the code sandbox (as .ci/run does)");
            succeeds(List.of("bash", "-c", "source \"$0\" && twt_need_debs bubblewrap python3",
                    checkout.root().resolve("bin/debs.sh").toString()));
            if (works()) {
                return;
            }
        }
        if (!succeeds(List.of("sh", "-c", "command -v bwrap"))) {
            Console.log("code sandbox: bubblewrap is missing, code tasks will be 'not run: no sandbox'; to run them:"
                    + " sudo apt-get install bubblewrap");
        } else {
            Console.log("code sandbox: bubblewrap cannot create namespaces here, code tasks will be 'not run: no sandbox';"
                    + " to run them: sudo sysctl -w kernel.unprivileged_userns_clone=1"
                    + " (Ubuntu 24.04: kernel.apparmor_restrict_unprivileged_userns=0)");
        }
    }

    private static boolean works() {
        List<String> bwrap = new ArrayList<>();
        if (ROOT) {
            bwrap.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        }
        bwrap.addAll(List.of("bwrap", "--unshare-all", "--die-with-parent", "--ro-bind", "/usr", "/usr",
                "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin",
                "--proc", "/proc", "--dev", "/dev", "/usr/bin/python3", "-I", "-c", "pass"));
        return succeeds(bwrap) || ROOT && succeeds(List.of("unshare", "--net", "--pid", "--fork", "--kill-child",
                "--mount-proc", "/usr/bin/python3", "-I", "-c", "pass"));
    }

    private static boolean succeeds(List<String> command) {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
