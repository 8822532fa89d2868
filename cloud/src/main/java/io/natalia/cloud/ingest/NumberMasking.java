package io.natalia.cloud.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natalia.cloud.tenant.PhoneNumbers;
import io.natalia.cloud.tenant.TenantKeys;
import java.util.Map;
import java.util.Set;

/**
 * Replaces phone numbers in a PBX's raw JSON by the tenant's pseudonyms, so that no clear
 * number is stored outside the encrypted reveal column.
 *
 * <p>Two rules, applied at any depth: the value of a field whose name marks it as a number
 * ({@link #NUMBER_FIELDS}), and any string equal, once normalised, to the record's external
 * number. Extensions (short internal numbers) are not personal data and stay.
 */
final class NumberMasking {
  /** Field names of the OXO ticket, and of other PBXs, that hold an external number. */
  static final Set<String> NUMBER_FIELDS = Set.of(
      "callingNumber", "dialledNumber", "dialedNumber", "calledNumber", "externalNumber",
      "callerNumber", "callerId", "number", "phoneNumber", "remoteNumber", "ddiNumber");

  private final String target;
  private final String targetPseudonym;
  private final TenantKeys keys;

  private NumberMasking(String target, String targetPseudonym, TenantKeys keys) {
    this.target = target;
    this.targetPseudonym = targetPseudonym;
    this.keys = keys;
  }

  /**
   * Masks {@code node} in place.
   *
   * @param externalNumber the record's external number, or null
   * @param pseudonym its pseudonym, already computed, or null
   */
  static void mask(JsonNode node, String externalNumber, String pseudonym, TenantKeys keys) {
    String target = externalNumber == null ? null : PhoneNumbers.normalize(externalNumber);
    boolean usable = target != null && target.length() >= 3;
    new NumberMasking(usable ? target : null, usable ? pseudonym : null, keys).visit(node);
  }

  private void visit(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        JsonNode value = field.getValue();
        if (value.isTextual() && shouldMask(field.getKey(), value.textValue(), target)) {
          field.setValue(object.textNode(pseudonym(value.textValue())));
        } else {
          visit(value);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        JsonNode value = array.get(i);
        if (value.isTextual() && shouldMask(null, value.textValue(), target)) {
          array.set(i, array.textNode(pseudonym(value.textValue())));
        } else {
          visit(value);
        }
      }
    }
  }

  private String pseudonym(String number) {
    if (targetPseudonym != null && PhoneNumbers.normalize(number).equals(target)) {
      return targetPseudonym;
    }
    return keys.pseudonym(number);
  }

  private static boolean shouldMask(String name, String value, String target) {
    if (name != null && NUMBER_FIELDS.contains(name)) {
      return !PhoneNumbers.normalize(value).isEmpty();
    }
    return target != null && PhoneNumbers.normalize(value).equals(target)
        && value.length() <= target.length() + 8;
  }
}
