package io.natalia.cloud.alert;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal SMTP server on 127.0.0.1 (ephemeral port) that accepts every mail and keeps it:
 * enough of RFC 5321 for a Jakarta Mail client without TLS or authentication.
 */
final class FakeSmtpServer implements AutoCloseable {
  /** One mail received: envelope recipients and the DATA text. */
  record Received(List<String> recipients, String data) {}

  private final ServerSocket socket;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  FakeSmtpServer() throws IOException {
    socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::acceptLoop, "fake-smtp");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try (Socket client = socket.accept()) {
        converse(client);
      } catch (IOException e) {
        // Closed socket or client gone: the next accept decides.
      }
    }
  }

  private void converse(Socket client) throws IOException {
    BufferedReader in = new BufferedReader(
        new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
    OutputStream out = client.getOutputStream();
    reply(out, "220 fake ESMTP");
    List<String> recipients = new ArrayList<>();
    String line;
    while ((line = in.readLine()) != null) {
      String verb = line.length() < 4 ? line : line.substring(0, 4).toUpperCase(Locale.ROOT);
      switch (verb) {
        case "EHLO" -> reply(out, "250-fake\r\n250 OK");
        case "RCPT" -> {
          recipients.add(line.substring(line.indexOf('<') + 1, line.indexOf('>')));
          reply(out, "250 OK");
        }
        case "DATA" -> {
          reply(out, "354 go ahead");
          received.add(new Received(List.copyOf(recipients), data(in)));
          recipients.clear();
          reply(out, "250 OK");
        }
        case "QUIT" -> {
          reply(out, "221 bye");
          return;
        }
        default -> reply(out, "250 OK");
      }
    }
  }

  private static String data(BufferedReader in) throws IOException {
    StringBuilder data = new StringBuilder();
    String line;
    while ((line = in.readLine()) != null && !line.equals(".")) {
      data.append(line.startsWith("..") ? line.substring(1) : line).append('\n');
    }
    return data.toString();
  }

  private static void reply(OutputStream out, String text) throws IOException {
    out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
