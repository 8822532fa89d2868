package io.natalia.oxo.traffic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The simulated company: extensions with their users' names, hunt groups and trunks. Fixed by
 * the seed and the settings; immutable and thread-safe.
 */
public final class Company {

  /** First extension number; OXO dialling plans commonly start users at 100. */
  static final int FIRST_EXTENSION = 100;

  /** Share of extensions whose users type a business code on outgoing calls. */
  private static final double BUSINESS_CODE_USER_SHARE = 0.3;

  /** Relative pick weight of one trunk of each type: a PRI carries 30 channels, a BRI 2. */
  private static final int PRI_WEIGHT = 30;
  private static final int VOIP_WEIGHT = 10;
  private static final int BRI_WEIGHT = 2;
  private static final int ANALOG_WEIGHT = 1;

  private final List<Extension> extensions;
  private final List<HuntGroup> huntGroups;
  private final List<String> trunks;
  private final int[] trunkCumulativeWeights;
  private final int[] userCumulativeWeights;

  Company(long seed, TrafficSettings settings) {
    SplittableRandom random = new SplittableRandom(Mixing.mix(seed, 0x436f6d70616e79L));
    this.extensions = List.copyOf(createExtensions(random, settings.extensions()));
    this.huntGroups = List.copyOf(createHuntGroups(random, settings.huntGroups(), extensions));
    List<String> lines = new ArrayList<>();
    List<Integer> weights = new ArrayList<>();
    addTrunks(lines, weights, 'L', settings.analogTrunks(), ANALOG_WEIGHT);
    addTrunks(lines, weights, 'N', settings.briTrunks(), BRI_WEIGHT);
    addTrunks(lines, weights, 'P', settings.priTrunks(), PRI_WEIGHT);
    addTrunks(lines, weights, 'V', settings.voipTrunks(), VOIP_WEIGHT);
    this.trunks = List.copyOf(lines);
    this.trunkCumulativeWeights = cumulate(weights);
    this.userCumulativeWeights =
        cumulate(extensions.stream().map(Extension::callWeight).toList());
  }

  /** Returns the extensions, numbered from 100 in order. */
  public List<Extension> extensions() {
    return extensions;
  }

  /** Returns the hunt groups {@code G1}, {@code G2}, ... in order. */
  public List<HuntGroup> huntGroups() {
    return huntGroups;
  }

  /** Returns the trunk names ({@code L01}, {@code N01}, {@code P01}, {@code V01}, ...). */
  public List<String> trunks() {
    return trunks;
  }

  /** Returns the extension that takes calls nobody else answers: the first of G1, else 100. */
  Extension operator() {
    return huntGroups.isEmpty() ? extensions.get(0) : huntGroups.get(0).members().get(0);
  }

  /** Picks a trunk, PRI and VoIP trunks more often since they carry more channels. */
  String pickTrunk(SplittableRandom random) {
    // Limitation: see docs/known-limitations.md#traffic-trunk-channels
    return trunks.get(pickWeighted(random, trunkCumulativeWeights));
  }

  /** Picks a user who places a call, busy users more often. */
  Extension pickUser(SplittableRandom random) {
    return extensions.get(pickWeighted(random, userCumulativeWeights));
  }

  /** Picks a user other than {@code excluded}; needs at least two extensions. */
  Extension pickOtherUser(SplittableRandom random, Extension excluded) {
    int index = random.nextInt(extensions.size() - 1);
    Extension picked = extensions.get(index);
    return picked == excluded ? extensions.get(extensions.size() - 1) : picked;
  }

  private static int pickWeighted(SplittableRandom random, int[] cumulativeWeights) {
    int draw = random.nextInt(cumulativeWeights[cumulativeWeights.length - 1]);
    int index = Arrays.binarySearch(cumulativeWeights, draw);
    return index >= 0 ? index + 1 : -index - 1;
  }

  private static int[] cumulate(List<Integer> weights) {
    int[] cumulative = new int[weights.size()];
    int total = 0;
    for (int i = 0; i < cumulative.length; i++) {
      total += weights.get(i);
      cumulative[i] = total;
    }
    return cumulative;
  }

  private static List<Extension> createExtensions(SplittableRandom random, int count) {
    List<Extension> result = new ArrayList<>(count);
    int cultureOffset = random.nextInt(UserNames.CULTURE_COUNT);
    for (int i = 0; i < count; i++) {
      String name = UserNames.pick(random, (i + cultureOffset) % UserNames.CULTURE_COUNT);
      // Some users call far more than others: weights from 1 to 8.
      int callWeight = 1 + (int) Math.floor(8 * Math.pow(random.nextDouble(), 2.5));
      boolean typesBusinessCodes = random.nextDouble() < BUSINESS_CODE_USER_SHARE;
      result.add(new Extension(
          Integer.toString(FIRST_EXTENSION + i), name, callWeight, typesBusinessCodes));
    }
    return result;
  }

  private static List<HuntGroup> createHuntGroups(
      SplittableRandom random, int count, List<Extension> extensions) {
    List<HuntGroup> result = new ArrayList<>(count);
    for (int g = 0; g < count; g++) {
      int size = Math.min(extensions.size(), 2 + random.nextInt(5));
      int first = (g * 4) % extensions.size();
      List<Extension> members = new ArrayList<>(size);
      for (int m = 0; m < size; m++) {
        members.add(extensions.get((first + m) % extensions.size()));
      }
      result.add(new HuntGroup("G" + (g + 1), UserNames.groupName(g), List.copyOf(members)));
    }
    return result;
  }

  private static void addTrunks(
      List<String> lines, List<Integer> weights, char type, int count, int weight) {
    for (int i = 1; i <= count; i++) {
      lines.add(String.format("%c%02d", type, i));
      weights.add(weight);
    }
  }

  /**
   * One extension and its user.
   *
   * @param number the directory number, such as {@code 112}
   * @param name the user's name as the PBX prints it (any script)
   * @param callWeight how much this user calls relative to others, 1 to 8
   * @param typesBusinessCodes whether this user types business codes on outgoing calls
   */
  public record Extension(String number, String name, int callWeight, boolean typesBusinessCodes) {}

  /**
   * One hunt group.
   *
   * @param id {@code G1}, {@code G2}, ...
   * @param name the group's name, printed as subscriber name when nobody answers
   * @param members the extensions that ring, in hunting order
   */
  public record HuntGroup(String id, String name, List<Extension> members) {}
}
