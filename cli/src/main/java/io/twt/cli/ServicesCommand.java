package io.twt.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ./twt services}: the table of services, as the launcher starts them. */
@Command(name = "services", mixinStandardHelpOptions = true,
        description = "Lists the services: name, port, heap and health path, as ./twt up starts them.")
final class ServicesCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.printf("%-20s %5s %5s  %s%n", "service", "port", "heap", "health");
        for (Service service : Service.values()) {
            System.out.printf("%-20s %5d %5s  %s%n", service.serviceName(), service.port(), service.heap(),
                    service.url() + service.healthPath());
        }
        return Twt.OK;
    }
}
