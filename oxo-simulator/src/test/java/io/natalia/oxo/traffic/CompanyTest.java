package io.natalia.oxo.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.Character.UnicodeScript;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CompanyTest {

  @Test
  void namesSpanManyScripts() {
    Set<UnicodeScript> scripts = EnumSet.noneOf(UnicodeScript.class);
    for (Company.Extension extension : TrafficFixtures.generator(1).company().extensions()) {
      extension.name().codePoints()
          .filter(Character::isLetter)
          .forEach(c -> scripts.add(UnicodeScript.of(c)));
    }

    assertThat(scripts).contains(UnicodeScript.LATIN, UnicodeScript.GREEK,
        UnicodeScript.CYRILLIC, UnicodeScript.ARABIC, UnicodeScript.HAN);
  }

  @Test
  void namesCarryAccentsAndPolishLetters() {
    String names = String.join(" ", TrafficFixtures.generator(1).company().extensions().stream()
        .map(Company.Extension::name).toList());

    assertThat(names).containsPattern("[éèêëàâçîïôûüÉ]");
    assertThat(names).containsPattern("[łŁęąśźżćńó]");
  }

  @Test
  void familyNamesAgreeWithGender() {
    List<String> names = new TrafficGenerator(1, TrafficSettings.builder().extensions(300)
        .build()).company().extensions().stream().map(Company.Extension::name).toList();
    Set<String> maleGiven = Set.of("Łukasz", "Paweł", "Wojciech", "Дмитрий", "Сергей", "Иван",
        "Γιώργος", "Δημήτρης", "Νίκος");

    List<String> masculine = names.stream()
        .filter(name -> name.matches(".* (\\S+(ski|cki)|\\S+ов|\\S+ев|\\S+ος)")).toList();
    List<String> feminine = names.stream()
        .filter(name -> name.matches(".* (\\S+(ska|cka)|\\S+ова|\\S+ева|\\S+ούλου)")).toList();

    assertThat(masculine).isNotEmpty()
        .allMatch(name -> maleGiven.contains(name.substring(0, name.indexOf(' '))));
    assertThat(feminine).isNotEmpty()
        .noneMatch(name -> maleGiven.contains(name.substring(0, name.indexOf(' '))));
  }

  @Test
  void extensionsAreNumberedFromHundred() {
    Company company = new TrafficGenerator(1,
        TrafficSettings.builder().extensions(300).build()).company();

    assertThat(company.extensions()).hasSize(300);
    assertThat(company.extensions().get(0).number()).isEqualTo("100");
    assertThat(company.extensions().get(299).number()).isEqualTo("399");
  }

  @Test
  void trunksAreNamedByType() {
    Company company = new TrafficGenerator(1, TrafficSettings.builder()
        .analogTrunks(2).briTrunks(1).priTrunks(1).voipTrunks(12).build()).company();

    assertThat(company.trunks()).containsExactly("L01", "L02", "N01", "P01", "V01", "V02",
        "V03", "V04", "V05", "V06", "V07", "V08", "V09", "V10", "V11", "V12");
  }

  @Test
  void huntGroupsHaveMembersAndNames() {
    Company company = TrafficFixtures.generator(1).company();

    assertThat(company.huntGroups()).extracting(Company.HuntGroup::id)
        .containsExactly("G1", "G2", "G3");
    assertThat(company.huntGroups()).allMatch(group -> group.members().size() >= 2);
    assertThat(company.huntGroups().get(0).name()).isEqualTo("Accueil");
    assertThat(company.operator()).isEqualTo(company.huntGroups().get(0).members().get(0));
  }

  @Test
  void companyWithoutHuntGroupsStillTakesCalls() {
    TrafficGenerator generator = new TrafficGenerator(
        1, TrafficSettings.builder().extensions(1).huntGroups(0).build());

    var calls = generator.callsStarted(Instant.parse("2026-01-05T00:00:00Z"),
        Instant.parse("2026-01-10T00:00:00Z"));

    assertThat(calls).isNotEmpty();
    assertThat(calls).allMatch(call -> !call.direction().equals("internal"));
    assertThat(calls).allMatch(call -> !"G1".equals(call.initialTarget()));
  }

  @Test
  void descriptionNamesCompanySize() {
    assertThat(TrafficFixtures.generator(1)).hasToString(
        "seed 1, 40 extensions, 3 hunt groups, 9 trunks, zone Europe/Paris, scale 1.0");
  }
}
