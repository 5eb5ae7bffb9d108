/**
 * A structural check of Block Kit limits (https://docs.slack.dev/reference/block-kit) for the
 * blocks we render: lengths, counts and unique ids. Returns the problems found.
 */
import { BLOCK_KIT_LIMITS as L } from '../../../../adapters/slack/block-kit.js';

type Node = Record<string, any>;

function textLen(t: Node | undefined): number {
  return typeof t?.text === 'string' ? t.text.length : 0;
}

export function blockKitProblems(blocks: Node[], surface: 'message' | 'modal'): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => ok || problems.push(what);
  check(
    blocks.length <= (surface === 'message' ? L.messageBlocks : L.modalBlocks),
    'too many blocks',
  );
  const blockIds = new Set<string>();
  const actionIds = new Set<string>();
  const checkElement = (el: Node, where: string) => {
    if (el.action_id !== undefined) {
      check(String(el.action_id).length <= L.id, `${where}: action_id too long`);
      check(!actionIds.has(el.action_id), `${where}: duplicate action_id ${el.action_id}`);
      actionIds.add(el.action_id);
    }
    if (el.type === 'button') {
      check(textLen(el.text) >= 1 && textLen(el.text) <= L.buttonText, `${where}: button text`);
      check((el.value ?? '').length <= L.buttonValue, `${where}: button value`);
    }
    if (el.placeholder) check(textLen(el.placeholder) <= L.placeholder, `${where}: placeholder`);
    if (Array.isArray(el.options)) {
      check(el.options.length <= L.selectOptions, `${where}: too many options`);
      for (const o of el.options) {
        check(
          textLen(o.text) <= L.optionText && o.value.length <= L.optionValue,
          `${where}: option`,
        );
      }
      if (el.initial_option) {
        check(
          el.options.some((o: Node) => o.value === el.initial_option.value),
          `${where}: initial_option not among options`,
        );
      }
    }
    if (el.max_length !== undefined) check(el.max_length <= L.textInputMax, `${where}: max_length`);
  };
  blocks.forEach((b, i) => {
    const where = `block ${i} (${b.type})`;
    if (b.block_id !== undefined) {
      check(b.block_id.length <= L.id, `${where}: block_id too long`);
      check(!blockIds.has(b.block_id), `${where}: duplicate block_id`);
      blockIds.add(b.block_id);
    }
    if (b.type === 'header') check(textLen(b.text) <= L.headerText, `${where}: header text`);
    if (b.type === 'section') {
      check(textLen(b.text) <= L.sectionText, `${where}: section text`);
      check((b.fields ?? []).length <= L.sectionFields, `${where}: too many fields`);
      for (const f of b.fields ?? []) check(textLen(f) <= L.fieldText, `${where}: field text`);
    }
    if (b.type === 'context') {
      check(b.elements.length <= L.contextElements, `${where}: too many context elements`);
      for (const e of b.elements) check(textLen(e) <= L.sectionText, `${where}: context text`);
    }
    if (b.type === 'actions') {
      check(b.elements.length <= L.actionsElements, `${where}: too many elements`);
      b.elements.forEach((el: Node, j: number) => checkElement(el, `${where} element ${j}`));
    }
    if (b.type === 'input') {
      check(textLen(b.label) <= L.inputLabel, `${where}: label`);
      checkElement(b.element, `${where} element`);
    }
  });
  return problems;
}
