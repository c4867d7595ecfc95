package io.twt.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ./twt train}: asks trainer-service for a round now. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Asks trainer-service to start a round now (POST /rounds) and prints its answer.")
final class TrainCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(Service.TRAINER_SERVICE.url() + "/rounds"))
                        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        System.out.println(response.body());
        return response.statusCode() / 100 == 2 ? Twt.OK : Twt.FAILED;
    }
}
