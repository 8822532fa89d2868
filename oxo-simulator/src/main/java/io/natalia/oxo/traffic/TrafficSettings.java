package io.natalia.oxo.traffic;

import java.time.ZoneId;

/**
 * The shape of one simulated company and its traffic. Together with a seed it fixes every call
 * the {@link TrafficGenerator} produces.
 *
 * @param extensions number of extensions, 1 to 300 (an OXO Connect serves at most 300 users);
 *     they are numbered from 100
 * @param huntGroups number of hunt groups {@code G1}, {@code G2}, ..., 0 to 20
 * @param analogTrunks number of analog lines {@code L01}, ...
 * @param briTrunks number of BRI accesses {@code N01}, ...
 * @param priTrunks number of PRI accesses {@code P01}, ...
 * @param voipTrunks number of VoIP trunks {@code V01}, ...
 * @param zone the PBX time zone: ticket times are local to it, and business hours follow it
 * @param callsPerDayScale multiplies the call volume; 1.0 is about 7 calls per extension on a
 *     weekday, 0.01 to 30
 * @param maskLastDigits whether the PBX prints external numbers with their last two digits
 *     replaced by {@code *}
 * @param printUnansweredIncoming whether the PBX writes a ticket, with {@code "answered":
 *     false}, for an incoming call nobody answered; when on, every ticket carries {@code
 *     answered}
 */
public record TrafficSettings(
    int extensions,
    int huntGroups,
    int analogTrunks,
    int briTrunks,
    int priTrunks,
    int voipTrunks,
    ZoneId zone,
    double callsPerDayScale,
    boolean maskLastDigits,
    boolean printUnansweredIncoming) {

  /** Maximum number of users of an OXO Connect. */
  public static final int MAX_EXTENSIONS = 300;

  static final int MAX_HUNT_GROUPS = 20;
  static final int MAX_TRUNKS_PER_TYPE = 99;
  static final double MIN_SCALE = 0.01;

  /**
   * Largest volume scale. External numbers stay unique per caller for a day only while a day
   * has fewer than 62 500 incoming or outgoing calls; 300 extensions at this scale stay below.
   */
  static final double MAX_SCALE = 30;

  /** Checks every setting and names the first invalid one with its value. */
  public TrafficSettings {
    checkRange("extensions", extensions, 1, MAX_EXTENSIONS);
    checkRange("huntGroups", huntGroups, 0, MAX_HUNT_GROUPS);
    checkRange("analogTrunks", analogTrunks, 0, MAX_TRUNKS_PER_TYPE);
    checkRange("briTrunks", briTrunks, 0, MAX_TRUNKS_PER_TYPE);
    checkRange("priTrunks", priTrunks, 0, MAX_TRUNKS_PER_TYPE);
    checkRange("voipTrunks", voipTrunks, 0, MAX_TRUNKS_PER_TYPE);
    if (analogTrunks + briTrunks + priTrunks + voipTrunks == 0) {
      throw new IllegalArgumentException(
          "at least one trunk is needed (analogTrunks, briTrunks, priTrunks or voipTrunks): "
              + "all are 0");
    }
    if (zone == null) {
      throw new IllegalArgumentException("zone must be set to the PBX time zone: null");
    }
    if (!(callsPerDayScale >= MIN_SCALE && callsPerDayScale <= MAX_SCALE)) {
      throw new IllegalArgumentException(
          "callsPerDayScale must be between " + MIN_SCALE + " and " + MAX_SCALE + ": "
              + callsPerDayScale);
    }
  }

  /** Returns a builder holding the defaults: a 40-extension company in Europe/Paris. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder holding these settings, to change some of them. */
  public Builder toBuilder() {
    return new Builder()
        .extensions(extensions)
        .huntGroups(huntGroups)
        .analogTrunks(analogTrunks)
        .briTrunks(briTrunks)
        .priTrunks(priTrunks)
        .voipTrunks(voipTrunks)
        .zone(zone)
        .callsPerDayScale(callsPerDayScale)
        .maskLastDigits(maskLastDigits)
        .printUnansweredIncoming(printUnansweredIncoming);
  }

  private static void checkRange(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ": " + value);
    }
  }

  /** Builds {@link TrafficSettings}; {@link #build()} checks the values. Not thread-safe. */
  public static final class Builder {
    private int extensions = 40;
    private int huntGroups = 3;
    private int analogTrunks = 2;
    private int briTrunks = 2;
    private int priTrunks = 1;
    private int voipTrunks = 4;
    private ZoneId zone = ZoneId.of("Europe/Paris");
    private double callsPerDayScale = 1.0;
    private boolean maskLastDigits;
    private boolean printUnansweredIncoming = true;

    private Builder() {}

    public Builder extensions(int value) {
      extensions = value;
      return this;
    }

    public Builder huntGroups(int value) {
      huntGroups = value;
      return this;
    }

    public Builder analogTrunks(int value) {
      analogTrunks = value;
      return this;
    }

    public Builder briTrunks(int value) {
      briTrunks = value;
      return this;
    }

    public Builder priTrunks(int value) {
      priTrunks = value;
      return this;
    }

    public Builder voipTrunks(int value) {
      voipTrunks = value;
      return this;
    }

    public Builder zone(ZoneId value) {
      zone = value;
      return this;
    }

    public Builder callsPerDayScale(double value) {
      callsPerDayScale = value;
      return this;
    }

    public Builder maskLastDigits(boolean value) {
      maskLastDigits = value;
      return this;
    }

    public Builder printUnansweredIncoming(boolean value) {
      printUnansweredIncoming = value;
      return this;
    }

    /** Returns the settings; throws {@link IllegalArgumentException} naming a bad value. */
    public TrafficSettings build() {
      return new TrafficSettings(
          extensions,
          huntGroups,
          analogTrunks,
          briTrunks,
          priTrunks,
          voipTrunks,
          zone,
          callsPerDayScale,
          maskLastDigits,
          printUnansweredIncoming);
    }
  }
}
