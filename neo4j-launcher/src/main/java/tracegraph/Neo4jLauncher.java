package tracegraph;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * Neo4j launcher: runs Neo4j 5 Community in-process with Bolt on a loopback port, so tracegraph's
 * tests and local runs get a real server without Docker.
 *
 * <p>Usage: {@code Neo4jLauncher --home DIR [--port 7687] [--password SECRET] [--pagecache 256m]}.
 * Prints {@code TRACEGRAPH_NEO4J_READY bolt://127.0.0.1:PORT} once the database answers, then
 * blocks until it is signalled or its standard input closes (the parent process went away).
 */
public final class Neo4jLauncher {
  private Neo4jLauncher() {}

  public static void main(String[] args) throws Exception {
    String home = null;
    int port = 7687;
    String password = null;
    String pageCache = "256m";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--home" -> home = args[++i];
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--password" -> password = args[++i];
        case "--pagecache" -> pageCache = args[++i];
        default -> {
          System.err.println("unknown argument: " + args[i]);
          System.exit(2);
        }
      }
    }
    if (home == null) {
      System.err.println("usage: Neo4jLauncher --home DIR [--port 7687] [--password SECRET]");
      System.exit(2);
    }

    DatabaseManagementServiceBuilder builder =
        new DatabaseManagementServiceBuilder(Path.of(home).toAbsolutePath())
            .setConfig(BoltConnector.enabled, true)
            .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
            .setConfig(HttpConnector.enabled, false)
            .setConfig(GraphDatabaseSettings.auth_enabled, password != null)
            .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(pageCache))
            // A local server has no backups to serve from old transaction logs; the default (two
            // days of them) kept 23 GB after one rewrite of the stays at a million persons.
            .setConfig(GraphDatabaseSettings.keep_logical_logs, "1G size");
    DatabaseManagementService service = builder.build();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  service.shutdown();
                  stopped.countDown();
                }));

    GraphDatabaseService db = service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
    if (!db.isAvailable(Duration.ofMinutes(3).toMillis())) {
      System.err.println("Neo4j did not become available within 3 minutes");
      System.exit(1);
    }
    if (password != null) {
      GraphDatabaseService system = service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
      try {
        system.executeTransactionally(
            "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
            java.util.Map.of("password", password));
      } catch (RuntimeException e) {
        // A home started before with this password already has it, and Neo4j refuses to set a
        // password to itself; anything else is fatal (exit, or the server's threads keep the JVM up).
        if (!String.valueOf(e.getMessage()).contains("Old password and new password cannot be the same")) {
          System.err.println("could not set the password of user neo4j: " + e.getMessage());
          System.exit(1);
        }
      }
    }
    System.out.println("TRACEGRAPH_NEO4J_READY bolt://127.0.0.1:" + port);
    System.out.flush();

    // Stop when the parent closes our stdin, so an orphaned server never lingers.
    Thread stdinWatcher =
        new Thread(
            () -> {
              try {
                while (System.in.read() != -1) {
                  // discard
                }
              } catch (Exception ignored) {
                // treat as closed
              }
              System.exit(0);
            });
    stdinWatcher.setDaemon(true);
    stdinWatcher.start();
    stopped.await(Long.MAX_VALUE, TimeUnit.DAYS);
  }
}
