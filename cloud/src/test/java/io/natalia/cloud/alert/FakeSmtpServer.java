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
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal SMTP server on 127.0.0.1 (ephemeral port) that accepts every mail and keeps it:
 * enough of RFC 5321 for a Jakarta Mail client without TLS. It accepts any AUTH LOGIN or AUTH
 * PLAIN and keeps the login and password it was given.
 */
public final class FakeSmtpServer implements AutoCloseable {
  /**
   * One mail received.
   *
   * @param login the login and password of the session as {@code login:password}, or null
   * @param recipients the envelope recipients
   * @param data the DATA text
   */
  public record Received(String login, List<String> recipients, String data) {}

  private final ServerSocket socket;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  public FakeSmtpServer() throws IOException {
    socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::acceptLoop, "fake-smtp");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return socket.getLocalPort();
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  /** Waits up to 10 s for a mail sent in the background; returns the mails received. */
  public List<Received> awaitMail() throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (received.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return received();
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
    String login = null;
    String line;
    while ((line = in.readLine()) != null) {
      String verb = line.length() < 4 ? line : line.substring(0, 4).toUpperCase(Locale.ROOT);
      switch (verb) {
        case "EHLO" -> reply(out, "250-fake\r\n250-AUTH LOGIN PLAIN\r\n250 OK");
        case "AUTH" -> {
          login = authenticate(line, in, out);
          reply(out, "235 accepted");
        }
        case "RCPT" -> {
          recipients.add(line.substring(line.indexOf('<') + 1, line.indexOf('>')));
          reply(out, "250 OK");
        }
        case "DATA" -> {
          reply(out, "354 go ahead");
          received.add(new Received(login, List.copyOf(recipients), data(in)));
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

  /** Runs AUTH LOGIN or AUTH PLAIN; returns {@code login:password}. */
  private static String authenticate(String command, BufferedReader in, OutputStream out)
      throws IOException {
    String[] words = command.split(" ");
    if (words[1].equalsIgnoreCase("LOGIN")) {
      reply(out, "334 VXNlcm5hbWU6");
      String user = decode(in.readLine());
      reply(out, "334 UGFzc3dvcmQ6");
      return user + ":" + decode(in.readLine());
    }
    String response = words.length > 2 ? words[2] : null;
    if (response == null) {
      reply(out, "334 ");
      response = in.readLine();
    }
    String[] parts = decode(response).split("\0");
    return parts[1] + ":" + parts[2];
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64.strip()), StandardCharsets.UTF_8);
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
