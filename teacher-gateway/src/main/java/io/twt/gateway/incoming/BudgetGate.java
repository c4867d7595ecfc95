package io.twt.gateway.incoming;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;
import io.twt.gateway.outgoing.TeacherBatches;
import io.twt.gateway.outgoing.TeacherClient;
import io.twt.gateway.outgoing.Teachers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Stops taking queries while a teacher's budget is spent: a query needs every teacher before DCRS can decide
 * it, so the whole {@code queries} channel pauses (the Kafka consumer stops fetching; the group keeps its
 * partitions) and resumes when every budget has room again (a raised cap, or, across replicas, a spend ledger
 * that says so). Queries already taken wait in {@code QueryConsumer}; {@link BudgetHealth} says why it is paused.
 * The channel starts paused: at start this gate first reads the spend ledger and the batches left open.
 */
@ApplicationScoped
public class BudgetGate {

    private static final Logger LOG = Logger.getLogger(BudgetGate.class);
    static final String CHANNEL = "queries";

    private final Teachers teachers;
    private final ChannelRegistry channels;
    private final SpendFeed spend;
    // the channel starts paused (pausable.initially-paused): no query is taken before the spend is known
    private boolean paused = true;

    public BudgetGate(Teachers teachers, ChannelRegistry channels, SpendFeed spend) {
        this.teachers = teachers;
        this.channels = channels;
        this.spend = spend;
    }

    void watch(@Observes StartupEvent started) {
        int read = spend.catchUp();
        LOG.infof("spend ledger: %d entries read; %s", read, teachers.all().stream()
                .map(t -> t.name() + " %.4f USD".formatted(t.budget().spentUsd())).toList());
        // before the first query too: batches a previous run left open, so a redelivered query waits for its line
        teachers.allBatches().forEach(TeacherBatches::start);
        for (TeacherClient teacher : teachers.all()) {
            teacher.budget().onChange(this::update);
        }
        update();
    }

    /** The teachers whose budget is spent, each with the reason. */
    public List<String> spent() {
        return teachers.all().stream().filter(t -> t.budget().exhausted())
                .map(t -> t.budget().describeSpent(t.name())).toList();
    }

    synchronized void update() {
        List<String> spent = spent();
        PausableChannel channel = channels.getPausable(CHANNEL);
        if (!spent.isEmpty() && !paused) {
            paused = true;
            channel.pause();
            LOG.warnf("paused taking queries: %s; raise the cap (POST /teachers/{name}/budget or budget-usd in the "
                    + "teachers file) and it resumes", spent);
        } else if (spent.isEmpty() && paused) {
            paused = false;
            channel.resume();
            LOG.info("every teacher has budget: taking queries");
        }
    }

    public synchronized boolean paused() {
        return paused;
    }
}
