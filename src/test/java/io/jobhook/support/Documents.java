package io.jobhook.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Reading callback and response documents in tests, independently of the code that renders them.
 */
public final class Documents {
  private Documents() {}

  /** The root element of an XML document; DOCTYPEs refused. */
  public static Element xml(byte[] body) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(body)).getDocumentElement();
  }

  /** The names of an element's child elements, in document order. */
  public static List<String> childNames(Element e) {
    List<String> names = new ArrayList<>();
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c) {
        names.add(c.getTagName());
      }
    }
    return names;
  }

  /** The child elements of that name, in document order. */
  public static List<Element> children(Element e, String name) {
    List<Element> out = new ArrayList<>();
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c && c.getTagName().equals(name)) {
        out.add(c);
      }
    }
    return out;
  }

  /** The one child element of that name (asserted: exactly one). */
  public static Element child(Element e, String name) {
    List<Element> found = children(e, name);
    assertThat(found).as("<%s> in <%s>", name, e.getTagName()).hasSize(1);
    return found.getFirst();
  }

  public static String text(Element e, String name) {
    return child(e, name).getTextContent();
  }

  /** The field names of a JSON object, in document order. */
  public static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
