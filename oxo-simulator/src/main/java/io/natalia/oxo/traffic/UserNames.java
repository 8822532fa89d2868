package io.natalia.oxo.traffic;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Users' names in many scripts and with many diacritics, so that every consumer of the tickets
 * meets accents, Polish and Vietnamese letters, Greek, Cyrillic, Arabic, Chinese and Japanese
 * text. Family names agree with the given name's gender where the language inflects them
 * (Polish, Greek, Russian), and each culture writes the names in its own order.
 */
final class UserNames {

  /** Order in which a culture writes the given name and the family name. */
  private enum Order {
    GIVEN_FIRST,
    FAMILY_FIRST,
    FAMILY_FIRST_JOINED
  }

  /** Names of one culture: female and male given names, and family names in each gender. */
  private record Culture(
      Order order,
      List<String> femaleGiven,
      List<String> maleGiven,
      List<String> femaleFamily,
      List<String> maleFamily) {

    Culture(Order order, List<String> femaleGiven, List<String> maleGiven, List<String> family) {
      this(order, femaleGiven, maleGiven, family, family);
    }
  }

  private static final List<Culture> CULTURES = List.of(
      new Culture(Order.GIVEN_FIRST,
          List.of("Amélie", "Hélène", "Noémie"),
          List.of("François", "Jérôme", "Benoît"),
          List.of("Lefèvre", "Bérard", "Gauthier-Noël", "Dupré", "Lemaître", "Faure")),
      new Culture(Order.GIVEN_FIRST,
          List.of("Zofia", "Małgorzata", "Agnieszka"),
          List.of("Łukasz", "Paweł", "Wojciech"),
          List.of("Wójcik", "Krzyżanowska", "Zielińska", "Wiśniewska", "Łęcka", "Kowalczyk"),
          List.of("Wójcik", "Krzyżanowski", "Zieliński", "Wiśniewski", "Łęcki", "Kowalczyk")),
      new Culture(Order.GIVEN_FIRST,
          List.of("Ελένη", "Αικατερίνη", "Σοφία"),
          List.of("Γιώργος", "Δημήτρης", "Νίκος"),
          List.of("Παπαδοπούλου", "Οικονόμου", "Γεωργίου", "Κωνσταντίνου", "Νικολάου"),
          List.of("Παπαδόπουλος", "Οικονόμου", "Γεωργίου", "Κωνσταντίνου", "Νικολάου")),
      new Culture(Order.GIVEN_FIRST,
          List.of("فاطمة", "ليلى", "مريم"),
          List.of("محمد", "أحمد", "يوسف"),
          List.of("العلي", "الحسن", "بن سعيد", "الخطيب", "المنصوري", "حداد")),
      new Culture(Order.FAMILY_FIRST_JOINED,
          List.of("芳", "娜", "静"),
          List.of("伟", "磊", "强"),
          List.of("王", "李", "张", "刘", "陈", "杨")),
      new Culture(Order.GIVEN_FIRST,
          List.of("Ольга", "Наталья", "Анна"),
          List.of("Дмитрий", "Сергей", "Иван"),
          List.of("Смирнова", "Иванова", "Кузнецова", "Попова", "Соколова", "Лебедева"),
          List.of("Смирнов", "Иванов", "Кузнецов", "Попов", "Соколов", "Лебедев")),
      new Culture(Order.GIVEN_FIRST,
          List.of("Begoña", "María", "Lucía"),
          List.of("José", "Íñigo", "Ángel"),
          List.of("Muñoz", "Peña", "Ibáñez", "Gómez", "Núñez", "Castaño")),
      new Culture(Order.GIVEN_FIRST,
          List.of("Dörte", "Käthe", "Bärbel"),
          List.of("Jürgen", "Günther", "Jörg"),
          List.of("Groß", "Schäfer", "Köhler", "Weiß", "Fuchs", "Böhm")),
      // Vietnamese names put the family name first and a middle name before the given name.
      new Culture(Order.FAMILY_FIRST,
          List.of("Thị Hương", "Thị Thảo", "Thị Ngọc"),
          List.of("Văn Đức", "Văn Dũng", "Minh Tuấn"),
          List.of("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ")),
      new Culture(Order.FAMILY_FIRST,
          List.of("花子", "陽菜", "美咲"),
          List.of("翔太", "大輔", "健"),
          List.of("佐藤", "鈴木", "高橋", "田中", "渡辺", "伊藤")),
      new Culture(Order.GIVEN_FIRST,
          List.of("Çağla", "Gülşen", "Özlem"),
          List.of("Şükrü", "İsmail", "Ümit"),
          List.of("Öztürk", "Yılmaz", "Şahin", "Doğan", "Kılıç", "Aydın")));

  static final int CULTURE_COUNT = CULTURES.size();

  private static final List<String> GROUP_NAMES = List.of(
      "Accueil", "Support technique", "Ventes", "Comptabilité", "Service après-vente",
      "Logistique", "Dział obsługi", "Τμήμα πωλήσεων", "Recursos humanos", "Kundendienst");

  private UserNames() {}

  /** Picks a full name of culture {@code index}, 0 to {@link #CULTURE_COUNT} - 1. */
  static String pick(SplittableRandom random, int index) {
    Culture culture = CULTURES.get(index);
    boolean female = random.nextBoolean();
    String given = pickOne(random, female ? culture.femaleGiven() : culture.maleGiven());
    String family = pickOne(random, female ? culture.femaleFamily() : culture.maleFamily());
    return switch (culture.order()) {
      case GIVEN_FIRST -> given + " " + family;
      case FAMILY_FIRST -> family + " " + given;
      case FAMILY_FIRST_JOINED -> family + given;
    };
  }

  /** Returns the name of hunt group {@code index} (0 for G1); names repeat after ten. */
  static String groupName(int index) {
    String name = GROUP_NAMES.get(index % GROUP_NAMES.size());
    return index < GROUP_NAMES.size() ? name : name + " " + (index / GROUP_NAMES.size() + 1);
  }

  private static String pickOne(SplittableRandom random, List<String> names) {
    return names.get(random.nextInt(names.size()));
  }
}
