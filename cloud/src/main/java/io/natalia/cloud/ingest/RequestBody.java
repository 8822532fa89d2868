package io.natalia.cloud.ingest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.natalia.cdr.CallRecordCodec;
import io.natalia.cloud.server.ApiError;
import io.natalia.cloud.server.ApiException;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads an ingest request body: at most {@code maxBodyBytes} on the wire, gunzipped when
 * {@code Content-Encoding: gzip} to at most {@code maxDecodedBytes}, strictly UTF-8, exactly
 * one JSON value with no duplicate key in any object. Each failure is an {@link ApiException}
 * naming the limit or the position.
 */
final class RequestBody {
  /**
   * Keeps numbers exact, so a record's error quotes 1e400 as sent rather than infinity. A
   * duplicate key anywhere, even inside one record, rejects the whole body, because the parser
   * detects it before records are read. The agent then splits the batch until the record is
   * alone. Limitation: see docs/known-limitations.md#ingest-parser-limits. A number of more
   * than 1 000 digits or nesting deeper than 1 000 also rejects the whole body.
   */
  private static final ObjectMapper JSON = CallRecordCodec.exactNumbers(JsonMapper.builder())
      .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private final long maxBodyBytes;
  private final long maxDecodedBytes;

  RequestBody(long maxBodyBytes, long maxDecodedBytes) {
    this.maxBodyBytes = maxBodyBytes;
    this.maxDecodedBytes = maxDecodedBytes;
  }

  /**
   * Reads and parses the body.
   *
   * @param contentEncoding the {@code Content-Encoding} header, or null
   * @param contentLength the {@code Content-Length} header, or -1 when absent
   */
  JsonNode read(InputStream body, String contentEncoding, long contentLength)
      throws IOException {
    if (contentLength > maxBodyBytes) {
      throw tooLarge("request body", contentLength, maxBodyBytes);
    }
    byte[] bytes = decode(new Limited(body, maxBodyBytes, "request body"), contentEncoding);
    checkUtf8(bytes);
    return parse(bytes);
  }

  private byte[] decode(InputStream wire, String contentEncoding) throws IOException {
    String encoding = contentEncoding == null
        ? "identity" : contentEncoding.strip().toLowerCase(Locale.ROOT);
    switch (encoding) {
      case "", "identity":
        return wire.readAllBytes();
      case "gzip", "x-gzip":
        try (InputStream gunzipped = new GZIPInputStream(wire, 64 * 1024)) {
          return readAll(new Limited(gunzipped, maxDecodedBytes, "decompressed body"));
        } catch (ZipException e) {
          throw new ApiException(ApiError.MALFORMED_JSON,
              "body is not valid gzip (Content-Encoding: gzip): " + e.getMessage());
        } catch (EOFException e) {
          // GZIPInputStream raises EOFException when the body ends inside the gzip stream.
          throw new ApiException(ApiError.MALFORMED_JSON, "body is not valid gzip"
              + " (Content-Encoding: gzip): the gzip stream ends early, so the body was cut"
              + " short; send the whole body");
        }
      default:
        throw new ApiException(ApiError.UNSUPPORTED_ENCODING,
            "Content-Encoding must be gzip or absent: '" + contentEncoding + "'");
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
    in.transferTo(out);
    return out.toByteArray();
  }

  /** Refuses bytes that are not UTF-8, naming the offset of the first bad byte. */
  static void checkUtf8(byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(8192);
    while (true) {
      CoderResult result = decoder.decode(in, out, true);
      if (result.isError()) {
        throw new ApiException(ApiError.INVALID_UTF8, String.format(
            "body is not valid UTF-8: bad byte 0x%02x at offset %d",
            bytes[in.position()] & 0xff, in.position()));
      }
      if (result.isUnderflow()) {
        break;
      }
      out.clear();
    }
    out.clear();
    CoderResult flush = decoder.flush(out);
    if (flush.isError()) {
      throw new ApiException(ApiError.INVALID_UTF8,
          "body is not valid UTF-8: truncated character at the end");
    }
  }

  private static JsonNode parse(byte[] bytes) {
    if (bytes.length == 0) {
      throw empty();
    }
    try (JsonParser parser = JSON.createParser(bytes)) {
      JsonNode root = JSON.readTree(parser);
      if (root == null) {
        throw empty();
      }
      // Whitespace may follow the object, anything else is a second value or garbage.
      if (parser.nextToken() != null) {
        throw new ApiException(ApiError.MALFORMED_JSON, "body is not valid JSON"
            + where(parser.currentTokenLocation())
            + ": content after the JSON object; send exactly one JSON object");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw new ApiException(ApiError.MALFORMED_JSON,
          "body is not valid JSON" + where(e.getLocation()) + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ApiException(ApiError.MALFORMED_JSON, "body is not valid JSON: " + e);
    }
  }

  private static ApiException empty() {
    return new ApiException(ApiError.MALFORMED_JSON, "body is empty; expected a JSON object");
  }

  private static String where(JsonLocation at) {
    return at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()
        + " (byte " + at.getByteOffset() + ")";
  }

  private static ApiException tooLarge(String what, long size, long limit) {
    return new ApiException(ApiError.BODY_TOO_LARGE,
        what + " is " + size + " bytes, above the limit of " + limit
            + " bytes; send smaller batches");
  }

  /** Fails once more than {@code limit} bytes have been read. */
  private static final class Limited extends InputStream {
    private final InputStream in;
    private final long limit;
    private final String what;
    private long count;

    Limited(InputStream in, long limit, String what) {
      this.in = in;
      this.limit = limit;
      this.what = what;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) {
      count += n;
      if (count > limit) {
        throw new ApiException(ApiError.BODY_TOO_LARGE, what + " exceeds the limit of "
            + limit + " bytes; send smaller batches");
      }
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
