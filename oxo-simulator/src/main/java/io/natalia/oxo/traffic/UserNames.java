package io.natalia.oxo.traffic;

import java.util.SplittableRandom;

/**
 * First and last names in many scripts and with many diacritics, so that every consumer of the
 * tickets meets accents, Polish and Vietnamese letters, Greek, Cyrillic, Arabic, Chinese and
 * Japanese text.
 */
final class UserNames {

  private static final String[][] FIRST_NAMES = {
    {"Amélie", "François", "Hélène", "Jérôme", "Noémie", "Benoît"},
    {"Łukasz", "Zofia", "Małgorzata", "Paweł", "Agnieszka", "Wojciech"},
    {"Γιώργος", "Ελένη", "Δημήτρης", "Αικατερίνη", "Νίκος", "Σοφία"},
    {"محمد", "فاطمة", "أحمد", "ليلى", "يوسف", "مريم"},
    {"伟", "芳", "娜", "敏", "静", "磊"},
    {"Ольга", "Дмитрий", "Наталья", "Сергей", "Анна", "Иван"},
    {"José", "Begoña", "Íñigo", "María", "Ángel", "Lucía"},
    {"Jürgen", "Björn", "Dörte", "Günther", "Käthe", "Jörg"},
    {"Hương", "Đức", "Thảo", "Dũng", "Ngọc", "Tuấn"},
    {"花子", "翔太", "陽菜", "大輔", "美咲", "健"},
    {"Çağla", "Şükrü", "Gülşen", "İsmail", "Özlem", "Ümit"},
  };

  private static final String[][] LAST_NAMES = {
    {"Lefèvre", "Bérard", "Gauthier-Noël", "Müller", "Dupré", "Lemaître"},
    {"Wójcik", "Krzyżanowska", "Zieliński", "Wiśniewska", "Łęcki", "Kowalczyk"},
    {"Παπαδόπουλος", "Οικονόμου", "Γεωργίου", "Κωνσταντίνου", "Νικολάου", "Ιωάννου"},
    {"العلي", "الحسن", "بن سعيد", "الخطيب", "المنصوري", "حداد"},
    {"王", "李", "张", "刘", "陈", "杨"},
    {"Смирнова", "Иванов", "Кузнецова", "Попов", "Соколова", "Лебедев"},
    {"Muñoz", "Peña", "Ibáñez", "Gómez", "Núñez", "Castaño"},
    {"Groß", "Schäfer", "Köhler", "Weiß", "Fuchs", "Böhm"},
    {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ"},
    {"佐藤", "鈴木", "高橋", "田中", "渡辺", "伊藤"},
    {"Öztürk", "Yılmaz", "Şahin", "Doğan", "Kılıç", "Aydın"},
  };

  /** Cultures whose names are written family name first, without a space (Chinese). */
  private static final int CHINESE = 4;

  /** Cultures whose names are written family name first, with a space (Japanese). */
  private static final int JAPANESE = 9;

  static final int CULTURES = FIRST_NAMES.length;

  private static final String[] GROUP_NAMES = {
    "Accueil", "Support technique", "Ventes", "Comptabilité", "Service après-vente",
    "Logistique", "Dział obsługi", "Τμήμα πωλήσεων", "Recursos humanos", "Kundendienst",
  };

  private UserNames() {}

  /** Picks a full name of the given culture. */
  static String pick(SplittableRandom random, int culture) {
    String first = FIRST_NAMES[culture][random.nextInt(FIRST_NAMES[culture].length)];
    String last = LAST_NAMES[culture][random.nextInt(LAST_NAMES[culture].length)];
    if (culture == CHINESE) {
      return last + first;
    }
    if (culture == JAPANESE) {
      return last + " " + first;
    }
    return first + " " + last;
  }

  /** Returns the name of hunt group {@code index} (0 for G1); names repeat after ten. */
  static String groupName(int index) {
    String name = GROUP_NAMES[index % GROUP_NAMES.length];
    return index < GROUP_NAMES.length ? name : name + " " + (index / GROUP_NAMES.length + 1);
  }
}
