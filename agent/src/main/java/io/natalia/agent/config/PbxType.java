package io.natalia.agent.config;

/** Kinds of PBX the agent can collect from. */
public enum PbxType {
  /** Alcatel-Lucent OmniPCX Office R10 or later, over CDR over IP (HTTPS, JWT). */
  OXO,
  /** Alcatel-Lucent OmniPCX Enterprise: listed for the configuration form, not collected yet. */
  OXE
}
