import type { Intent } from '@omnigate/contracts';

/**
 * One piece of evidence for an intent: when every pattern matches the normalised text (see
 * intent-text.mapper.ts: lowercase, no accents, words separated by single spaces), the intent
 * gains `weight`. Rules of the intent `other` are evidence against the rest ("how much does a
 * transfer cost" is a question, not a stuck transfer).
 */
export interface IntentRule {
  readonly id: string;
  readonly intent: Intent;
  readonly weight: number;
  readonly all: readonly RegExp[];
}

function rule(id: string, intent: Intent, weight: number, ...sources: string[]): IntentRule {
  return { id, intent, weight, all: sources.map((s) => new RegExp(s)) };
}

/** A payment card, as a noun ("carta d'identità" is a document, not a card). */
const CARD = String.raw`\b(?:carta(?! d identita)|carte|bancomat|prepagata|card|cards|cardtoken)\b`;
const TRANSFER = String.raw`\b(?:bon+ifi?c\w*|bonfic\w*|trasferiment\w*|giroconto|transfer(?:s|red|ring)?\b(?! me\b)|wire|sepa|stipendio|salary|pension\w*|accredito|instant payment|istantaneo|(?:payment|pagamento) (?:to|verso|a) (?:a |my |il |mio |mia |un |una )?(?:friend|supplier|landlord|fornitore|amic\w*))`;
const TRANSFER_STUCK = String.raw`\b(?:non (?:e |sono |mi e |mi sono |risulta )?(?:ancora )?(?:stat[oa] )?(?:arrivat\w*|arriva\w*|partit\w*|accreditat\w*|eseguit\w*)|mai arrivat\w*|non (?:ha|hanno) (?:ancora )?ricevut\w*|non (?:lo |li |la |le )?(?:vedo|vede|vedono|trovo)|non li ha|in sospeso|in attesa|in lavorazione|in elaborazione|da eseguire|ferm[oa]|bloccat\w*|ancora niente|(?:still|and|has) nothing|spariti|sparito|pending|stuck|on hold|processing|in progress|delayed|(?:not|never)\b.{0,12}\b(?:arrived?|received|come in|come through|reached|showing|show up|go out|get it|credited)|missing|disappeared|can not see|taking so long|status|stato del|a che punto|quanto ci mette|how long|non e andato a buon fine|(?:non|nothing|not)\b.{0,15}\barriv\w*|in corso|quando arriva|when will it (?:arrive|come)|non c e ancora|not in yet|is not in|not there|non si vede|aspetto|waiting|(?:in|di) attesa|(?:i )?see nothing|non vedo (?:niente|nulla)|saldo non e cambiato|balance (?:has not|did not|has not been) chang\w*|ancora nulla|still nothing|not (?:yet )?available|non (?:e )?ancora disponibil\w*)\b`;
const SENT_MONEY = String.raw`\b(?:ho mandato|ho inviato|ho spedito|sent|transferred|moved|mandato|inviato|spostat\w*)\b.{0,25}\b(?:soldi|euro|euros|eur|money|funds|\d+)\b`;
const RECIPIENT = String.raw`\b(?:destinatari\w*|beneficiari\w*|recipient|beneficiary|payee)\b`;
const SELLER = String.raw`\b(?:venditore|negozio|commerciante|seller|shop|store|merchant|vendor)\b`;
const CANCELLED = String.raw`\b(?:disdett\w*|disdire|annullat\w*|cancellat\w*|cancel+ed|canceled|disiscritt\w*|free trial|prova gratuita|gratis)\b`;
const CHARGED = String.raw`\b(?:addebit\w*|charg\w*|bill\w*|pagat\w*|pagare|paid|prelevat\w*|took|taken|pres[oi]|scalat\w*)\b`;

// One rule per line reads better than prettier's five: the patterns are the content.
// prettier-ignore
export const INTENT_RULES: readonly IntentRule[] = [
  // fraud: cloned card, unrecognised payment, someone else used it, phishing, theft
  rule('fraud.cloned', 'fraud', 3.5, String.raw`\b(?:clon\w*|skimm\w*|copiat\w* (?:i )?dati)`),
  rule('fraud.unrecognised', 'fraud', 3, String.raw`\b(?:non (?:la |lo |li |le |l )?riconosc\w*|(?:do|did|can) not recogni[sz]e|not recogni[sz]ed|unrecogni[sz]ed|sconosciut\w*|non (?:lo |la )?conosco|never heard of|unknown (?:transaction|payment|charge|merchant)s?)\b`),
  rule('fraud.not_me_it', 'fraud', 3, String.raw`\bnon (?:(?:l|li|le|lo|la) )?ho (?:mai )?(?:fatt[oiea]\b(?! (?:niente|nulla|di male))|autorizzat\w*|effettuat\w*|eseguit\w*|comprat\w*|acquistat\w*)\b`),
  rule('fraud.not_me_en', 'fraud', 3, String.raw`\b(?:did not|never|have not) (?:make|made|buy|bought|purchased|authori[sz]e\w*|approve\w*|do|did)\b(?! anything wrong)`),
  rule('fraud.unauthorised', 'fraud', 3, String.raw`\b(?:non autorizzat\w*|unauthori[sz]ed|not authori[sz]ed|without my (?:permission|consent)|senza (?:il )?mio (?:consenso|permesso))\b`),
  rule('fraud.not_mine', 'fraud', 2.5, String.raw`\b(?:(?:not|are not|is not|was not) (?:mine|me)|non (?:sono |e )?(?:mie|miei|mia|mio)|non ero io)\b`),
  rule('fraud.words', 'fraud', 3.5, String.raw`\b(?:fraud\w*|frod\w*|truf+\w*|scam\w*|phishing|smishing|vishing|hack\w*|compromess\w*|compromised|raggir\w*|fregat\w*)\b`),
  rule('fraud.stolen', 'fraud', 3, String.raw`\b(?:rub+at\w*|stolen|stole|scippat\w*|snatched|pickpocket\w*|borseggi\w*|furto|theft)\b`),
  rule('fraud.someone_used', 'fraud', 3, String.raw`\b(?:someone|somebody|qualcuno)\b.{0,25}\b(?:used|using|us[aoi]t[oaie]|usa|usando|made|making|spend\w*|fatto|facendo|preso|tapped|speso|prelevato|prelevando|withdr[ae]w\w*|took|comprando|buying|entrat[oa]|got into|logged)\b`),
  rule('fraud.suspicious', 'fraud', 2.5, String.raw`\b(?:sospett\w*|suspicious|strani|strane|weird|strange|anomal\w*)\b`),
  rule('fraud.impersonation', 'fraud', 2.5, String.raw`\b(?:fint[oai]|fake|fals[oa]|pretend\w*|spacciav\w*|spacciat\w*|impersonat\w*)\b`),
  rule('fraud.gave_codes', 'fraud', 3, String.raw`\b(?:dato|detto|comunicato|gave|given|told|shared)\b.{0,25}\b(?:codic\w*|code|codes|otp|pin|password|credenziali|credentials)\b`),
  rule('fraud.entered_details', 'fraud', 3, String.raw`\b(?:inserito|entered|typed)\b (?:i miei|my)\b.{0,12}\b(?:dati|details|credenziali|credentials|codic\w*|code)\b`),
  rule('fraud.unaware', 'fraud', 3, String.raw`\b(?:senza che io (?:sapessi|sappia|autorizzassi)|a mia insaputa|without (?:me knowing|my knowledge)|non sono stat[oa] io|it was not me|mai vist[oa]|never (?:seen|visited|used)|non ho mai (?:visitato|usato|visto)|(?:io )?non uso|i do not (?:even )?use)\b`),
  rule('fraud.took_from_account', 'fraud', 2.5, String.raw`\b(?:hanno preso|hanno tolto|they took|have taken|mi mancano|is missing|are missing)\b.{0,30}\b(?:dal mio conto|dalla mia carta|from my (?:account|card)|soldi|money)\b`),
  rule('fraud.social_engineering', 'fraud', 3, String.raw`\b(?:diceva di essere|dicendo di essere|si e presentato come|spacciandosi|claiming to be|said (?:he|she|they) (?:was|were) from|conto (?:protetto|sicuro)|safe account|security team|servizio sicurezza|(?:mi ha|mi hanno|had me|told me to) (?:fatto )?(?:spostare|trasferire|move|transfer)\b)`),
  rule('fraud.account_takeover', 'fraud', 3, String.raw`\b(?:(?:cambiat\w*|changed) (?:la |my )?password|password (?:cambiata|changed)|nuovo dispositivo sconosciuto|unknown (?:device|login)|accesso sconosciuto|sim swap)\b`),
  rule('fraud.link', 'fraud', 1.5, String.raw`\blink\b`),
  rule('fraud.drained', 'fraud', 2.5, String.raw`\b(?:svuotat\w*|drained|emptied|soldi (?:spariti|scomparsi)|(?:money|funds|euros?|eur) (?:is |are |has |have )?(?:gone|missing|disappeared)|\d+ (?:euro|eur) spariti)\b`),
  rule('fraud.lost_card', 'fraud', 2, String.raw`\b(?:pers[oa]|smarrit\w*|lost)\b.{0,15}\b(?:carta|card|bancomat|portafoglio|wallet|telefono|phone|cellulare)\b`),
  rule('fraud.elsewhere', 'fraud', 2.5, String.raw`\b(?:(?:ma|but|while|mentre) (?:io )?(?:sono|i m|i am|ero|i was)\b.{0,12}\b(?:casa|home|qui|here|milano|italia|italy)|(?:io vivo|i live) (?:a|in)\b|never been there|mai stat[oa]|non sono mai uscit\w*|(?:have not|never) (?:left|been to|been in))\b`),

  // card blocked: blocked, declined, not working, can't pay, wrong PIN
  rule('card.blocked', 'card_blocked', 3.5, CARD + String.raw`.{0,40}\b(?:blocc\w*|bloc+at\w*|block\w*|lock\w*|frozen|froze|freez\w*|sospes\w*|suspended|disattivat\w*|deactivated|disabilitat\w*|non abilitat\w*|restricted|non valida|invalid|inattiv\w*|inactive|non attiva|disabled|trattenut\w*|swallowed|retained|ko)\b`),
  rule('card.blocked_before', 'card_blocked', 3.5, String.raw`\b(?:bloccat\w*|bloc+ato|blocked|locked|froze|frozen|sospes\w*|disattivat\w*|deactivated|blocco|block)\b.{0,25}` + CARD),
  rule('card.unblock', 'card_blocked', 3.5, String.raw`\b(?:sblocc\w*|unblock\w*|unlock\w*|unfreez\w*|riattiv\w*|reactivat\w*|togliere il blocco|rimuovere il blocco|remove the block|lift the block)\b`),
  rule('card.declined', 'card_blocked', 2.5, String.raw`\b(?:rifiut\w*|declin\w*|negat[oa]|rejected|refused|respint\w*|non passa|not (?:going|go|gone) through|denied|dinieg\w*)\b`),
  rule('card.not_working', 'card_blocked', 3, CARD, String.raw`\b(?:(?:non|not|stopped|no longer)\b.{0,25}\b(?:funzion\w*|work\w*|va|accett\w*|accepted|take|fail\w*)|(?:funzion\w*|work\w*|va) (?:more|anymore|piu)|keeps? failing|fails)\b`),
  rule('card.cannot_pay', 'card_blocked', 2.5, String.raw`\b(?:non (?:riesco|posso) (?:a )?(?:pagare|prelevare|fare acquisti|usare la carta|comprare)|non riesco (?:piu )?a usare\b.{0,20}\bcarta|can not (?:i )?(?:pay|withdraw|buy|use (?:my card|apple pay|google pay)|make (?:a )?payments?)|unable to (?:pay|withdraw))\b`),
  rule('card.has_money', 'card_blocked', 2.5, String.raw`\b(?:ma|but|eppure|even though)\b (?:io )?(?:ho|i have|i ve got|there is|there are|ci sono) (?:i |the |enough )?(?:soldi|money|funds|fondi|credito)\b`),
  rule('card.wrong_pin', 'card_blocked', 2, String.raw`\b(?:(?:sbagliat\w*|errat\w*|inserito male|wrong|incorrect)\b.{0,12}\bpin|pin\b.{0,12}\b(?:sbagliat\w*|errat\w*|wrong|tre volte|three times)|(?:troppi|too many) (?:tentativi|attempts))\b`),

  // transfer stuck: a transfer (or money sent) that has not arrived
  rule('transfer.stuck', 'transfer_stuck', 4, TRANSFER, TRANSFER_STUCK),
  rule('transfer.noun', 'transfer_stuck', 1, TRANSFER),
  rule('transfer.sent_money', 'transfer_stuck', 3, SENT_MONEY, TRANSFER_STUCK),
  rule('transfer.stuck_payment', 'transfer_stuck', 3, String.raw`\b(?:(?:stuck|pending|blocked) payments?|payments?\b.{0,20}\b(?:stuck|pending|on hold))\b`),
  rule('transfer.recipient', 'transfer_stuck', 3, RECIPIENT, String.raw`\b(?:non|not|never|nothing|did not)\b`),

  // dispute: contest a real payment (double charge, refund, wrong amount, goods not received)
  rule('dispute.words', 'dispute', 4, String.raw`\b(?:contest\w*|disput\w*|chargeback|charge back|storn\w*|reversal|reclam\w*|complaint|disconosc\w*)\b`),
  rule('dispute.twice', 'dispute', 3, String.raw`\b(?:due volte|\d volte|doppi\w*|duplicat\w*|twice|double|two times)\b`),
  rule('dispute.refund', 'dispute', 3, String.raw`\b(?:rimbors\w*|refund\w*|money back|soldi indietro|riavere i soldi|restituisc\w*|ho restituito|returned (?:the|an|my) (?:item|order|product|goods))\b`),
  rule('dispute.amount', 'dispute', 3, String.raw`\b(?:importo\b.{0,20}\b(?:sbagliat\w*|divers\w*|errat\w*)|(?:wrong|different|incorrect) amount|amount is wrong|overcharg\w*|in piu|di piu|more than the|invece|instead)\b`),
  rule('dispute.cancelled', 'dispute', 3, CANCELLED, CHARGED),
  rule('dispute.seller', 'dispute', 3, SELLER, String.raw`\b(?:non|not|never|refus\w*|will not)\b.{0,20}\b(?:spedit\w*|mandat\w*|consegnat\w*|rispond\w*|rimbors\w*|restitui\w*|sent|deliver\w*|respond\w*|answer\w*|refund\w*|ship\w*)\b`),
  rule('dispute.not_dispensed', 'dispute', 3, String.raw`\b(?:(?:non|did not|not)\b.{0,20}\b(?:erogat\w*|dato i contanti|dispens\w*|give me the cash|gave me the cash)|not provided)\b`),
  rule('dispute.failed_taken', 'dispute', 3, String.raw`\b(?:non (?:e |sono )?andat\w* a buon fine|failed|fallit\w*)\b.{0,60}\b(?:lo stesso|comunque|anyway|taken|presi|preso|scalat\w*|addebitat\w*)\b`),
  rule('dispute.goods', 'dispute', 2.5, String.raw`\b(?:not as described|non conforme|diverso da quello ordinato|damaged|danneggiat\w*|difettos\w*|defective|never arrived|mai arrivat\w*|never received|mai ricevut\w*|scatola vuota|pacco vuoto|empty (?:box|parcel)|wrong item)\b`),
  rule('dispute.receipt', 'dispute', 3, String.raw`\b(?:scontrino|receipt|ricevuta)\b.{0,40}\b(?:ma|but)\b`),
  rule('dispute.times', 'dispute', 3, String.raw`\b(?:\d|tre|three) (?:volte|times)\b`, CHARGED),
  rule('dispute.not_returned', 'dispute', 3, String.raw`\b(?:non (?:me )?(?:l |la |li |le )?(?:ha|hanno) (?:piu )?(?:ridat\w*|restituit\w*)|non mi ridanno|never gave (?:it|them|me) back|(?:kept|trattenut\w*) (?:my |la |il )?(?:deposit|cauzione|caparra))\b`),
  rule('dispute.case', 'dispute', 3.5, String.raw`\b(?:aprire una pratica|open a case|raise a case|challenge)\b`),
  rule('dispute.damage', 'dispute', 2.5, String.raw`\b(?:dann[oi]|damage)\b`, CHARGED),
  rule('dispute.order', 'dispute', 1, String.raw`\b(?:pacco|parcel|merce|goods|item|ordine|order|ordered)\b`),
  rule('dispute.not_agreed', 'dispute', 2.5, String.raw`\b(?:(?:non|did not)\b.{0,10}\b(?:dovevo|agree\w*|accettat\w*)|penale|penalty)\b`),
  rule('dispute.charged', 'dispute', 1.5, String.raw`\b(?:charged|addebitato|billed|mi hanno (?:fatto )?pagare)\b`),

  // onboarding: opening an account, documents, identity verification
  rule('onboarding.open_account', 'onboarding', 4, String.raw`\b(?:(?:aprire|apro|apre|apri|apertura|open|opening)\b.{0,25}\b(?:conto|account)|conto (?:corrente )?(?:cointestato|aziendale)|joint account|business account|richiesta (?:del|di apertura del|per il) conto|appl(?:y|ied|ication) for an account|account application|(?:posso avere|can i (?:get|have)|could i (?:get|have)) (?:un |an )?(?:conto|account)\b(?! in)|(?:approvazione|approval|attivazione|activation)\b.{0,25}\b(?:conto|account))\b`),
  rule('onboarding.register', 'onboarding', 3.5, String.raw`\b(?:registr\w*|iscri\w*|sign(?:ing)? ?up|signup|register\w*|onboarding|kyc|diventare cliente|become a customer|new customer|nuovo cliente|i m new|sono nuov\w*|get started)\b`),
  rule('onboarding.documents', 'onboarding', 2.5, String.raw`\b(?:document\w*|carta d identita|identita|passaport\w*|passport|patente|driving licen[cs]e|permesso di soggiorno|residence permit|id|codice fiscale|tax (?:code|number)|proof of (?:address|residence)|prova di residenza|bolletta|utility bill|selfie|modulo|form|spid|cie|(?:digital|national) id)\b`),
  rule('onboarding.photo_refused', 'onboarding', 3, String.raw`\b(?:foto|photo|selfie|immagine|picture|document\w*|id)\b.{0,30}\b(?:rifiut\w*|reject\w*|non (?:viene )?accettat\w*|not accepted|sfocat\w*|blurry)\b`),
  rule('onboarding.verification', 'onboarding', 2.5, String.raw`\b(?:riconoscimento video|video ?(?:verification|verifica|call)|verifica (?:dell )?identita|identity (?:verification|check)|verif\w*)\b`),
  rule('onboarding.activation', 'onboarding', 3, String.raw`\b(?:conto\b.{0,25}\b(?:attiv\w*|approvat\w*|in verifica)|account\b.{0,25}\b(?:active|activat\w*|approv\w*|under review)|attiv\w* il conto|activate (?:a |my |the )?(?:new )?account|in attesa di verifica|pending verification|being approved|in fase di approvazione|under review)\b`),

  // talk to a human
  rule('human.who', 'human', 3, String.raw`\b(?:operator\w*|operatrice|agent|agente|umano|umana|human\w*|persona (?:vera|reale|fisica)|(?:real|actual|live) (?:person|human|agent)|una persona|a person|consulente|collega|colleague|advisor|adviser|representative|rappresentante|responsabile|manager|servizio clienti|customer (?:service|support|care)|assistenza|support (?:staff|team)|from support|carne e ossa)\b`),
  rule('human.someone', 'human', 3, String.raw`\b(?:parlare|parla|parlo|sentire|talk|speak|chat|passami|passatemi|passi|put (?:me )?(?:through|on)|connect me|get me|transfer me|cerco|put)\b.{0,20}\b(?:qualcuno|someone|somebody|anyone|anybody|persona|person|umano|human)\b`),
  rule('human.call_me', 'human', 3, String.raw`\b(?:chiamatemi|chiamarmi|farmi (?:chiamare|richiamare)|numero da chiamare|number (?:i can |to )?call|numero verde|toll free|freephone|hotline|call cent(?:er|re)|mi (?:potete|puoi|puo|potreste) (?:chiamare|richiamare)|richiamat\w*|call me|contattat[oa]|contact me|ricontattat\w*)\b`),
  rule('human.anyone_there', 'human', 3, String.raw`\b(?:c e qualcuno|qualcuno che risponde|is (?:any|some)(?:body|one) there|anyone there)\b`),
  rule('human.not_bot', 'human', 2.5, String.raw`\b(?:bot|chatbot|robot|macchina|machine|programma|program|automat\w*)\b`),
  rule('human.talk', 'human', 1, String.raw`\b(?:parlare con|talk to|speak (?:to|with))\b`),
  rule('human.you', 'human', 2, String.raw`\b(?:parlare con (?:voi|uno di voi|qualcuno di voi)|(?:talk|speak) (?:to|with) (?:one of )?you)\b`),
  rule('human.appointment', 'human', 2, String.raw`\b(?:contatto diretto|appuntamento|appointment)\b`),

  // other: information requests that mention the words above
  rule('other.price', 'other', 3, String.raw`\b(?:quanto cost\w*|how much (?:does|is|are|do)|costo|tariff\w*|commission\w*)\b`),
  rule('other.hours', 'other', 4, String.raw`\b(?:orari|orario|opening hours|a che ora|what time)\b`),
  rule('other.setup', 'other', 2, String.raw`\b(?:come (?:imposto|impostare|si imposta)|set up a|standing order|ricorrent\w*|recurring)\b`),
];
